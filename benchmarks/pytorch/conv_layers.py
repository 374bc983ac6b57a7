#!/usr/bin/python3
"""PyTorch's side of peft4j's `ConvRoutes` tool: one 3x3 'same' convolution layer (float, 2 threads), timed as
the passes a training step needs, so that libnd4j's (oneDNN) convolution ops can be compared with PyTorch's on
the same machine, layer by layer.

    /usr/bin/python3 benchmarks/pytorch/conv_layers.py --batch 64 --layers 1:32:28,32:32:28,64:64:14,128:128:7

Each layer is IN:OUT:SIZE (input channels, output channels, input edge). Rows: the forward pass; the input
gradient alone (what a frozen layer or an adapter whose gradients do not need the kernel gradient pays); the
input, kernel and bias gradients (full fine-tuning, or peft4j's route through the kernel gradient G). Backward
times are those of autograd's backward pass alone (the forward pass timed separately is subtracted). Medians of
--repeats rounds after 5 warm-ups, the passes timed in turns. Prints a markdown table.
"""
import argparse
import platform
import statistics
import time

import torch
import torch.nn.functional as F

THREADS = 2


def warm_up(fn, times):
    for _ in range(times):
        fn()


def layer_row(batch, cin, cout, size, repeats):
    x = torch.randn(batch, cin, size, size, requires_grad=True)
    w = torch.randn(cout, cin, 3, 3, requires_grad=True)
    b = torch.randn(cout, requires_grad=True)
    g = torch.randn(batch, cout, size, size)

    def forward():
        with torch.no_grad():
            F.conv2d(x, w, b, padding=1)

    def input_gradient():
        torch.autograd.grad(F.conv2d(x, w.detach(), b.detach(), padding=1), (x,), g)

    def all_gradients():
        torch.autograd.grad(F.conv2d(x, w, b, padding=1), (x, w, b), g)

    def forward_with_graph():
        F.conv2d(x, w, b, padding=1)

    passes = {"forward": forward, "graph": forward_with_graph, "dx": input_gradient, "all": all_gradients}
    timed = {name: [] for name in passes}
    for fn in passes.values():
        warm_up(fn, 5)
    for _ in range(repeats):
        for name, fn in passes.items():
            start = time.perf_counter()
            fn()
            timed[name].append((time.perf_counter() - start) * 1e3)
    m = {k: statistics.median(v) for k, v in timed.items()}
    return m["forward"], max(m["dx"] - m["graph"], 0.0), max(m["all"] - m["graph"], 0.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--layers", default="1:32:28,32:32:28,32:64:14,64:64:14,64:128:7,128:128:7")
    parser.add_argument("--repeats", type=int, default=21)
    args = parser.parse_args()
    torch.set_num_threads(THREADS)
    torch.manual_seed(0)
    print(f"PyTorch {torch.__version__}, {THREADS} threads, {platform.processor() or platform.machine()}, "
          f"oneDNN {'on' if torch.backends.mkldnn.is_available() else 'off'}; batch {args.batch}, float, 3x3 same, "
          f"median of {args.repeats} rounds\n")
    print("| layer | forward ms | input gradient ms | input + kernel + bias gradients ms |")
    print("|---|---:|---:|---:|")
    total = [0.0, 0.0, 0.0]
    for spec in args.layers.split(","):
        cin, cout, size = (int(v) for v in spec.split(":"))
        row = layer_row(args.batch, cin, cout, size, args.repeats)
        total = [t + r for t, r in zip(total, row)]
        print(f"| {cin} -> {cout}, {size}x{size} | {row[0]:.2f} | {row[1]:.2f} | {row[2]:.2f} |")
    print(f"| total | {total[0]:.1f} | {total[1]:.1f} | {total[2]:.1f} |")


if __name__ == "__main__":
    main()
