/** What peft4j needs from DL4J network types: layers, rebuilds, updater state. */
package org.peft4j.network;
