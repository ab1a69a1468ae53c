"""The maintained int8 runtimes for the CycleGAN generators, side by side against fp32 eager PyTorch
in the same process: ONNX Runtime and OpenVINO running one static-int8 model (QDQ format, made by
ONNX Runtime's quantisation tools, calibrated on the bundled sample images and their mirror
images), with the PSNR of each against fp32 on the bundled samples.

What is quantised, and why (each measured with this script under the AVX2 emulation):
- Only the residual blocks' 3x3 convolutions: quantising the first, downsampling, upsampling and
  last layers too cost the compact model 11 dB (25 against 36 dB on real photos) for 3 ms.
- Weights int8 per output channel with 7-bit range (`reduce_range`): without VNNI the CPU's
  u8 x s8 multiply-add saturates its 16-bit sums at full range.
- Activation ranges from the calibration images' minimum and maximum: the 99.99th percentile lost
  3 to 6 dB, and calibrating on 48 training images instead of the 8 bundled ones widened the ranges
  and lost 2 dB more.

OpenVINO honours oneDNN's ISA cap (ONEDNN_MAX_CPU_ISA=AVX2: its convolutions report jit_avx2_I8),
so its AVX2 row is an AVX2 measurement on any x86 host. ONNX Runtime does not: its kernels follow
the CPU's own flags, so under the emulation its row still uses VNNI where the host has it (the
label says so).

Needs `pip install -r requirements-bench.txt` (onnx, onnxruntime, openvino); without them the
rows are skipped with a note.

python -m benchmarks.cpu_runtimes [--sizes 256 512]
"""

import argparse
import os
import tempfile
from pathlib import Path

import numpy as np
import torch

from benchmarks.cyclegan import SAMPLES, compact_generator, input_and_baseline
from benchmarks.timing import Row, median_seconds, print_rows
from ganzoo.inference import translation
from ganzoo.maths import metrics
from ganzoo.models.cyclegan import ResnetGenerator


def available() -> bool:
    try:
        import onnxruntime.quantization  # noqa: F401
        import openvino  # noqa: F401
    except ImportError:
        return False
    return True


def calibration_images() -> torch.Tensor:
    """The bundled samples at the page's 256 crop, and their mirror images."""
    x = translation.fit_folder(SAMPLES)
    return torch.cat([x, x.flip(-1)])


def quantize(generator, calibration: torch.Tensor, folder: Path) -> Path:
    """The generator exported to ONNX at the calibration images' size (static shapes, then ONNX
    Runtime's shape inference and graph clean-up: the compact model at 256 ran in 25 ms so under
    OpenVINO, against 38 ms exported with dynamic sides) and its static-int8 QDQ form; returns
    the path of the latter."""
    import onnx
    from onnxruntime.quantization import (
        CalibrationDataReader,
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_static,
    )

    class Images(CalibrationDataReader):
        def __init__(self):
            self.items = iter([{"x": calibration[i:i + 1].numpy()} for i in range(len(calibration))])

        def get_next(self):
            return next(self.items, None)

    from onnxruntime.quantization.shape_inference import quant_pre_process

    exported, fp32, int8 = folder / "exported.onnx", folder / "fp32.onnx", folder / "int8.onnx"
    torch.onnx.export(generator, calibration[:1], exported, opset_version=17, dynamo=False,
                      input_names=["x"], output_names=["y"])
    quant_pre_process(str(exported), str(fp32))
    convs = [n.name for n in onnx.load(fp32).graph.node if n.op_type == "Conv"]
    quantize_static(str(fp32), str(int8), Images(), quant_format=QuantFormat.QDQ, per_channel=True,
                    reduce_range=True, activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                    op_types_to_quantize=["Conv"], calibrate_method=CalibrationMethod.MinMax,
                    nodes_to_exclude=[c for c in convs if "conv_block" not in c])
    return int8


def runners(path: Path) -> dict:
    """name -> fn(numpy input) -> numpy output."""
    import onnxruntime as ort
    import openvino as ov
    threads = torch.get_num_threads()
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # idle threads would steal the CPU
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    request = ov.Core().compile_model(str(path), "CPU", {"INFERENCE_NUM_THREADS": threads,
                                                     "INFERENCE_PRECISION_HINT": "f32"}).create_infer_request()
    return {"ONNX Runtime": lambda x: session.run(None, {"x": x})[0],
            "OpenVINO": lambda x: request.infer({0: x})[0].copy()}


def psnr_on_samples(run, plain) -> float:
    """Lowest PSNR against fp32 eager over the bundled samples."""
    x = translation.fit_folder(SAMPLES)
    with torch.no_grad():
        return min(metrics.psnr(torch.from_numpy(run(x[i:i + 1].numpy())).clamp(-1, 1), plain(x[i:i + 1]).clamp(-1, 1))
                   for i in range(len(x)))


def measure(sizes=(256, 512), repeats=5) -> list:
    if not available():
        print("benchmarks.cpu_runtimes: onnx/onnxruntime/openvino not installed (requirements-bench.txt): skipped")
        return []
    avx2 = os.environ.get("ONEDNN_MAX_CPU_ISA", "").upper() == "AVX2"
    torch.manual_seed(0)
    models = [("official size (random weights)", ResnetGenerator().eval()), ("compact", compact_generator())]
    rows = []
    calibration = calibration_images()
    for name, gen in models:
        for size in sizes:
            with tempfile.TemporaryDirectory() as tmp:
                scaled = torch.nn.functional.interpolate(calibration, size=(size, size), mode="bicubic").clamp(-1, 1)
                fns = runners(quantize(gen, scaled, Path(tmp)))
                x, plain = input_and_baseline(gen, size)
                quality = {k: psnr_on_samples(f, plain) for k, f in fns.items()} if size == 256 else {}
                xn = np.ascontiguousarray(x.numpy())
                # One after the other, not interleaved: a runtime's worker threads keep spinning for a
                # while after each call and slowed whatever ran next (fp32 eager 58 ms alone, 102 ms
                # interleaved with OpenVINO).
                with torch.no_grad():
                    times = {"fp32": median_seconds(lambda: plain(x), repeats),
                             **{k: median_seconds(lambda f=f: f(xn), repeats) for k, f in fns.items()}}
                for k in fns:
                    label = f"CycleGAN {name} at {size}x{size}, {k} static int8"
                    notes = [f"at least {quality[k]:.1f} dB on the 4 samples"] if quality else []
                    if avx2 and k == "ONNX Runtime":
                        notes.append("its kernels ignore the AVX2 cap")
                    rows.append(Row(label + (f" ({'; '.join(notes)})" if notes else ""), times[k] * 1e3,
                                    "fp32 eager", times["fp32"] * 1e3, "ms"))
    return rows


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks.cpu_runtimes", description=__doc__.split("\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[256, 512])
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args(argv)
    print_rows(measure(tuple(args.sizes), args.repeats))


if __name__ == "__main__":
    main()
