#!/usr/bin/python3
"""PyTorch reference for peft4j's `speed` protocol: the same networks, methods, batches and targets, so that
one machine can time peft4j against the tool most users would pick instead, in the same session.

    apt-get install -y python3-torch                   # Debian's PyTorch (CPU, oneDNN); no pip needed
    /usr/bin/python3 benchmarks/pytorch/speed_reference.py --out results/pytorch-speed.json
    ./peft4j speed --pytorch results/pytorch-speed.json  # peft4j's run prints both side by side

Networks (as peft4j's backbones): vgg-mini on 1x28x28, batch 64, CoLoRA / LoRA-conv on all six convolutions,
head fc1 + predictions; vgg16-64 (VGG16's convolutions on 3x64x64 with the CoLoRA paper head), batch 16, CoLoRA /
LoRA-conv on blocks 2-5, block 1 frozen, head head_conv + fc1 + predictions. Methods: full fine-tuning, head-only,
CoLoRA (two branches, as the paper; and "fused": one convolution with the merged kernel), LoRA-conv (r 4, alpha 4,
Hugging Face PEFT's form). One step = forward, backward, Adam (lr 1e-3) on random data; 2 threads; medians over
rounds in which the methods take turns. Inference: the merged network and the adapted CoLoRA network.
"""
import argparse
import os
import json
import math
import platform
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

THREADS = 2
NETS = {"vgg-mini": dict(shape=(1, 28, 28), batch=64, classes=5),
        "vgg16-64": dict(shape=(3, 64, 64), batch=16, classes=4)}
METHODS = ["full", "head-only", "colora", "colora-fused", "lora-conv"]


class CoLoRA(nn.Module):
    """conv(x, K0, b0) + depthwise(pointwise(x, Kp), Kd) + db with K0, b0 frozen; fused: one conv with K0 + Kd·Kp."""

    def __init__(self, base, fused):
        super().__init__()
        self.base, self.fused = base, fused
        for p in base.parameters():
            p.requires_grad_(False)
        c_out, c_in = base.out_channels, base.in_channels
        self.kp = nn.Parameter(torch.empty(c_out, c_in).uniform_(-1, 1) * math.sqrt(6 / (c_in + c_out)))
        self.kd = nn.Parameter(torch.zeros(c_out, 1, *base.kernel_size))
        self.db = nn.Parameter(torch.zeros(c_out))

    def forward(self, x):
        b = self.base
        c_out, c_in = self.kp.shape
        if self.fused:
            return F.conv2d(x, b.weight + self.kd * self.kp.view(c_out, c_in, 1, 1), b.bias + self.db, b.stride,
                            b.padding, b.dilation)
        z = F.conv2d(F.conv2d(x, self.kp.view(c_out, c_in, 1, 1)), self.kd, None, b.stride, b.padding, b.dilation,
                     c_out)
        return b(x) + z + self.db.view(1, c_out, 1, 1)


class LoRAConv(nn.Module):
    """base(x) + (alpha / r)·B(A(x)): A a conv C_in -> r with the base geometry, B a 1x1 conv r -> C_out (zero)."""

    def __init__(self, base, r=4, alpha=4.0):
        super().__init__()
        self.base, self.scale = base, alpha / r
        for p in base.parameters():
            p.requires_grad_(False)
        fan_in = base.in_channels * math.prod(base.kernel_size)
        self.a = nn.Parameter(torch.empty(r, base.in_channels, *base.kernel_size).uniform_(-1, 1) / math.sqrt(fan_in))
        self.b = nn.Parameter(torch.zeros(base.out_channels, r, 1, 1))

    def forward(self, x):
        base = self.base
        down = F.conv2d(x, self.a, None, base.stride, base.padding, base.dilation)
        return base(x) + self.scale * F.conv2d(down, self.b)


def conv(c_in, c_out):
    return nn.Conv2d(c_in, c_out, 3, padding=1)


def network(name):
    """(features as [block, ...], head, the indices of the adapted blocks)."""
    if name == "vgg-mini":
        widths, channels, blocks = [32, 64, 128], 1, []
        for w in widths:
            blocks.append(nn.Sequential(conv(channels, w), nn.ReLU(), conv(w, w), nn.ReLU(), nn.MaxPool2d(2)))
            channels = w
        head = nn.Sequential(nn.Flatten(), nn.Linear(128 * 3 * 3, 128), nn.ReLU(), nn.Linear(128, 5))
        return blocks, head, [0, 1, 2]
    cfg, channels, blocks = [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]], 3, []
    for widths in cfg:
        layers = []
        for w in widths:
            layers += [conv(channels, w), nn.ReLU()]
            channels = w
        blocks.append(nn.Sequential(*layers, nn.MaxPool2d(2)))
    head = nn.Sequential(nn.Conv2d(512, 128, 1), nn.ReLU(), nn.Flatten(), nn.Linear(128 * 2 * 2, 128), nn.ReLU(),
                         nn.Linear(128, 4))
    return blocks, head, [1, 2, 3, 4]


def build(name, method):
    torch.manual_seed(0)
    blocks, head, adapted = network(name)
    for i, block in enumerate(blocks):
        frozen = method == "head-only" or (method != "full" and i not in adapted)
        for p in block.parameters():
            p.requires_grad_(not frozen)
        if method in ("colora", "colora-fused", "lora-conv") and i in adapted:
            for j, m in enumerate(block):
                if isinstance(m, nn.Conv2d):
                    block[j] = LoRAConv(m) if method == "lora-conv" else CoLoRA(m, method == "colora-fused")
    return nn.Sequential(*blocks, head)


def timings(fns, warmups, rounds, iterations):
    for fn in fns.values():
        for _ in range(warmups):
            fn()
    samples = {k: [] for k in fns}
    for _ in range(rounds):
        for k, fn in fns.items():
            fn()
            for _ in range(iterations):
                start = time.perf_counter()
                fn()
                samples[k].append((time.perf_counter() - start) * 1e3)
    return {k: dict(median_ms=statistics.median(v), min_ms=min(v), samples=len(v)) for k, v in samples.items()}


def train_step(model, x, y):
    optimiser = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-3)

    def step():
        optimiser.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        optimiser.step()
    return step


def infer(model, x):
    def run():
        with torch.no_grad():
            model(x)
    return run


def cpu_model():
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nets", default="vgg-mini,vgg16-64")
    parser.add_argument("--warmups", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--iterations", type=int, default=5)
    parser.add_argument("--out", default="pytorch-speed.json")
    parser.add_argument("--channels-last", action="store_true",
                        help="run the networks and the batch in PyTorch's channels_last memory format (as peft4j's "
                             "speed --channels-last)")
    args = parser.parse_args()
    torch.set_num_threads(THREADS)
    # glibc reads GLIBC_TUNABLES at start: PyTorch's CPU tensors come from malloc as peft4j's do, so the two
    # sides compare only under the same setting (peft4j's launcher sets it; see docs/performance.md)
    allocator = os.environ.get("GLIBC_TUNABLES") or "glibc defaults"
    # libgomp reads OMP_WAIT_POLICY when it loads: recorded as peft4j records its own
    wait_policy = (os.environ.get("OMP_WAIT_POLICY") or "").strip().lower() or "OpenMP default"
    report = dict(tool="pytorch", torch=torch.__version__, cpu=cpu_model(), threads=THREADS, allocator=allocator,
                  openmp_wait_policy=wait_policy,
                  onednn=torch.backends.mkldnn.is_available(), time=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                  settings=vars(args), networks={})
    for name in args.nets.split(","):
        spec = NETS[name]
        x = torch.rand(spec["batch"], *spec["shape"])
        y = torch.randint(0, spec["classes"], (spec["batch"],))
        models = {m: build(name, m) for m in METHODS}
        if args.channels_last:
            x = x.to(memory_format=torch.channels_last)
            models = {m: model.to(memory_format=torch.channels_last) for m, model in models.items()}
        train = timings({m: train_step(models[m], x, y) for m in METHODS}, args.warmups, args.rounds, args.iterations)
        merged = build(name, "full").eval()
        if args.channels_last:
            merged = merged.to(memory_format=torch.channels_last)
        inference = timings({"base": infer(merged, x), "colora-adapted": infer(models["colora"].eval(), x)},
                            args.warmups, args.rounds, args.iterations)
        report["networks"][name] = dict(batch=spec["batch"], train=train, inference=inference)
        for m in METHODS:
            print(f"{name:9s} {m:13s} step {train[m]['median_ms']:8.1f} ms", flush=True)
        print(f"{name:9s} inference     base {inference['base']['median_ms']:.1f} ms, colora adapted "
              f"{inference['colora-adapted']['median_ms']:.1f} ms", flush=True)
    with open(args.out, "w") as out:
        json.dump(report, out, indent=2)
    print("written", args.out)


if __name__ == "__main__":
    main()
