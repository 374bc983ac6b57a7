#!/usr/bin/python3
"""One PyTorch training step of the speed protocol under oneDNN's verbose mode: the log of its primitives, to set
beside peft4j's (the same networks, methods and batches as speed_reference.py).

    /usr/bin/python3 benchmarks/pytorch/onednn_step.py --net vgg16-64 --method colora > pytorch-colora.log
    java -cp benchmarks/target/peft4j.jar org.peft4j.bench.speed.OnednnSteps --log pytorch-colora.log

oneDNN writes the log to standard output; the step times (the median of the steps timed without the log, and the
logged step) go to standard error. Run it under the environment peft4j's launcher sets (GLIBC_TUNABLES, OMP_WAIT_POLICY),
as speed_reference.py.
"""
import argparse
import statistics
import sys
import time

import torch

import speed_reference as reference


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--net", default="vgg16-64", choices=sorted(reference.NETS))
    parser.add_argument("--method", default="colora", choices=reference.METHODS)
    parser.add_argument("--warmups", type=int, default=10)
    parser.add_argument("--timed", type=int, default=10, help="steps timed without the log, before the logged one")
    args = parser.parse_args()
    torch.set_num_threads(reference.THREADS)
    spec = reference.NETS[args.net]
    torch.manual_seed(0)
    x = torch.rand(spec["batch"], *spec["shape"])
    y = torch.randint(0, spec["classes"], (spec["batch"],))
    step = reference.train_step(reference.build(args.net, args.method), x, y)
    for _ in range(args.warmups):
        step()
    times = []
    for _ in range(args.timed):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1e3)
    sys.stdout.flush()
    with torch.backends.mkldnn.verbose(torch.backends.mkldnn.VERBOSE_ON):
        start = time.perf_counter()
        step()
        logged = (time.perf_counter() - start) * 1e3
    sys.stdout.flush()
    print(f"{args.net} {args.method}: median step {statistics.median(times):.1f} ms over {args.timed} steps, "
          f"the logged step {logged:.1f} ms", file=sys.stderr)


if __name__ == "__main__":
    main()
