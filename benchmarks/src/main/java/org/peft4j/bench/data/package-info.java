/** Data readers: NumPy .npz archives (MedMNIST), with strict validation and clear errors. */
package org.peft4j.bench.data;
