#!/usr/bin/python3
"""PyTorch eager-mode peer of NetGen's benchmark workloads (W1-W4, see NetGen.Benchmarks/Workloads.cs).

Prints one CSV line per measurement: workload,threads,samples_per_second.
Run it through `dotnet run -c Release --project NetGen.Benchmarks -- compare`, which runs NetGen's side
in the same session and prints the ratios; or alone: /usr/bin/python3 bench/peer_pytorch.py [--seconds S] [--threads 1,2] [--kernels] [--only W4].

Fairness: OpenBLAS threads are capped with threadpoolctl (torch.set_num_threads does not limit them),
and OMP_WAIT_POLICY=PASSIVE is set before torch loads so idle OpenMP workers do not spin against OpenBLAS.
Debian's torch calls whatever libblas.so.3 the alternatives system points to: without an optimized BLAS
installed (apt-get install libopenblas0-pthread) that is the reference BLAS, 3-5x slower, which would make
any comparison meaningless. The script prints the BLAS it loaded and refuses to run on the reference one.
OpenBLAS 0.3.21 (Debian 12) does not recognize some newer CPUs and then runs its generic Prescott (SSE3)
kernels, several times slower than its AVX-512 ones: the script then runs itself again with
OPENBLAS_CORETYPE set to the closest family the CPU supports, and prints which kernels it measured.
"""
import math
import os
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch  # noqa: E402
from threadpoolctl import threadpool_info, threadpool_limits  # noqa: E402

def option(name, parse, fallback, needs):
    """The value after `name` in the arguments, read with `parse`; `fallback` when absent. A bad value stops the peer
    with what was wrong (`needs` says what the option takes) and exit code 2, as the .NET benchmarks do."""
    if name not in sys.argv:
        return fallback
    index = sys.argv.index(name)
    text = sys.argv[index + 1] if index + 1 < len(sys.argv) else None
    try:
        value = parse(text) if text is not None else None
    except ValueError:
        value = None
    if value is None:
        print(f"{name} needs {needs}, not '{text if text is not None else '(nothing)'}'.", file=sys.stderr)
        sys.exit(2)
    return value


def positive_seconds(text):
    value = float(text)
    return value if math.isfinite(value) and value > 0 else None


def thread_counts(text):
    counts = [int(part) for part in text.split(",")]
    return counts if all(count >= 1 for count in counts) else None


SECONDS = option("--seconds", positive_seconds, 1.5, "a positive number of seconds (such as 1.5)")
ONLY = option("--only", str, "", "the start of a workload's name")  # workloads whose name starts with this
KERNELS_ONLY = "--kernels" in sys.argv  # only the matrix products (compare --kernels)
THREADS = option("--threads", thread_counts, [1, 2], "whole numbers of threads of at least 1, separated by commas (such as 1,2)")


def mlp(sizes, hidden, output=None):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        last = i == len(sizes) - 2
        act = output if last else hidden
        if act is not None:
            layers.append(act())
    return torch.nn.Sequential(*layers)


def warm_up(step):
    """The warm-up compare gives NetGen and TorchSharp (NetGen.Benchmarks/SteadyWarmup.cs): at least 0.5 s, then
    0.1-s windows until one runs within 2% of the window before it, at most 3 s in all."""
    start = time.perf_counter()
    while time.perf_counter() - start < 0.5:
        step()
    previous = None
    while time.perf_counter() - start < 3:
        window = time.perf_counter()
        steps = 0
        while time.perf_counter() - window < 0.1:
            step()
            steps += 1
        rate = steps / (time.perf_counter() - window)
        if previous is not None and abs(rate - previous) <= 0.02 * previous:
            return
        previous = rate


def measure(step, samples_per_step):
    """Runs step() for about SECONDS after the warm-up; returns samples per second."""
    warm_up(step)
    n = 0
    start = time.perf_counter()
    deadline = start + SECONDS
    while True:
        step()
        n += 1
        now = time.perf_counter()
        if now >= deadline:
            break
    return n * samples_per_step / (now - start)


def train_step(model, optimizer, loss_fn, x, t):
    def step():
        optimizer.zero_grad(set_to_none=False)
        loss = loss_fn(model(x), t)
        loss.backward()
        optimizer.step()
    return step


def infer_step(model, x):
    def step():
        with torch.no_grad():
            model(x)
    return step


def squared_error(y, t):
    return 0.5 * ((y - t) ** 2).sum()


def workloads():
    torch.manual_seed(0)
    ce = torch.nn.CrossEntropyLoss()

    w1 = mlp([2, 2, 1], torch.nn.Sigmoid, torch.nn.Sigmoid)
    yield "W1 train b1", train_step(w1, torch.optim.SGD(w1.parameters(), lr=0.5), squared_error, torch.rand(1, 2), torch.rand(1, 1)), 1

    w2 = mlp([4, 16, 3], torch.nn.Tanh)
    opt2 = torch.optim.SGD(w2.parameters(), lr=0.1)
    yield "W2 train b1", train_step(w2, opt2, ce, torch.rand(1, 4), torch.randint(0, 3, (1,))), 1
    yield "W2 train b16", train_step(w2, opt2, ce, torch.rand(16, 4), torch.randint(0, 3, (16,))), 16

    w3 = mlp([784, 128, 10], torch.nn.ReLU)
    yield "W3 train b64", train_step(w3, torch.optim.Adam(w3.parameters(), lr=1e-3), ce, torch.rand(64, 784), torch.randint(0, 10, (64,))), 64
    yield "W3 infer b1", infer_step(w3, torch.rand(1, 784)), 1
    yield "W3 infer b256", infer_step(w3, torch.rand(256, 784)), 256

    w4 = mlp([784, 512, 512, 512, 10], torch.nn.ReLU)
    yield "W4 train b256", train_step(w4, torch.optim.Adam(w4.parameters(), lr=1e-3), ce, torch.rand(256, 784), torch.randint(0, 10, (256,))), 256


def gemm_shapes():
    """W4's forward products Z = X · Wᵀ (X: batch x inputs, W: outputs x inputs), in GFLOP/s."""
    for m, k, n in [(256, 784, 512), (256, 512, 512)]:
        x = torch.rand(m, k)
        w = torch.rand(n, k)
        out = torch.empty(m, n)

        def step():
            torch.mm(x, w.t(), out=out)
        # "samples" per step = 2mnk / 1e9, so the rate printed is GFLOP/s.
        yield f"gemm {m}x{k}x{n}", step, 2.0 * m * n * k / 1e9

    # The backward products of W4's layers: dW = dZᵀ · X and dX = dZ · W.
    for m, k, n in [(256, 784, 512), (256, 512, 512)]:
        dz, x, w = torch.rand(m, n), torch.rand(m, k), torch.rand(n, k)
        dw, dx = torch.empty(n, k), torch.empty(m, k)

        def weight_gradient(dz=dz, x=x, dw=dw):
            torch.mm(dz.t(), x, out=dw)

        def input_gradient(dz=dz, w=w, dx=dx):
            torch.mm(dz, w, out=dx)
        yield f"gemm-dW {m}x{k}x{n}", weight_gradient, 2.0 * m * n * k / 1e9
        yield f"gemm-dX {m}x{k}x{n}", input_gradient, 2.0 * m * n * k / 1e9


def loaded_blas():
    """The BLAS libraries mapped into this process (after one product has run), resolved to their real paths."""
    torch.mm(torch.rand(8, 8), torch.rand(8, 8))
    paths = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            name = os.path.basename(path)
            if path.startswith("/") and ("blas" in name or "mkl" in name or "blis" in name):
                paths.add(os.path.realpath(path))
    return sorted(paths)


def openblas_kernels():
    """The kernel family OpenBLAS chose for this CPU (threadpoolctl's 'architecture'), or None without OpenBLAS."""
    for info in threadpool_info():
        if info.get("internal_api") == "openblas":
            return info.get("architecture")
    return None


def use_the_best_openblas_kernels():
    """Re-runs this script with OPENBLAS_CORETYPE when OpenBLAS fell back to its generic kernels on a CPU it did not recognize."""
    kernels = openblas_kernels()
    if kernels != "Prescott" or "OPENBLAS_CORETYPE" in os.environ:
        return kernels
    with open("/proc/cpuinfo") as cpuinfo:
        flags = next((line.split(":", 1)[1].split() for line in cpuinfo if line.startswith("flags")), [])
    family = "SkylakeX" if "avx512f" in flags else "Haswell" if "avx2" in flags else None
    if family is None:
        return kernels
    os.environ["OPENBLAS_CORETYPE"] = family
    sys.stdout.flush()
    os.execv(sys.executable, [sys.executable] + sys.argv)


def check_blas():
    """Prints the BLAS in use; exits with 3 when it is the reference BLAS (or none is recognized)."""
    paths = loaded_blas()
    optimized = [p for p in paths if any(tag in os.path.basename(p) for tag in ("openblas", "mkl", "blis"))]
    if not optimized:
        print(f"torch loaded the reference BLAS ({', '.join(paths) or 'no BLAS library found'}); "
              "its products are several times slower than an optimized BLAS, so the comparison would be meaningless. "
              "Install OpenBLAS: apt-get install libopenblas0-pthread", file=sys.stderr)
        sys.exit(3)
    return optimized[0]


def main():
    kernels = use_the_best_openblas_kernels()
    blas = check_blas()
    forced = f", forced with OPENBLAS_CORETYPE={os.environ['OPENBLAS_CORETYPE']}" if "OPENBLAS_CORETYPE" in os.environ else ""
    print(f"# torch {torch.__version__}, BLAS {blas} ({kernels or 'not OpenBLAS'} kernels{forced}), seconds per measurement {SECONDS}", flush=True)
    for threads in THREADS:
        torch.set_num_threads(threads)
        with threadpool_limits(limits=threads):
            for name, step, samples in ([] if KERNELS_ONLY else workloads()):
                if not name.startswith(ONLY):
                    continue
                print(f"{name},{threads},{measure(step, samples):.1f}", flush=True)
            if threads == 1 and not ONLY:
                for name, step, gflop in gemm_shapes():
                    print(f"{name},{threads},{measure(step, gflop):.2f}", flush=True)


if __name__ == "__main__":
    main()
