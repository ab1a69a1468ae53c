"""Real files written by real Keras 3 (on its torch backend, in a process of its own): the course's
Generator class copied verbatim from deck 002, saved as a student would save it.

`keras_files` (a session-wide fixture) holds, in one folder:
- generator.weights.h5 / generator.keras: the course's Generator as written (freshly built);
- skipping.weights.h5 / skipping.keras: the same class with the `call` of the course's
  discriminator (dense_2 and dense_3 skipped, leaky_3 twice), which is how Keras leaves them unbuilt;
- discriminator.weights.h5: the course's Discriminator, verbatim;
- dense.weights.h5: the course's Generator carrying the shipped mnist-dense weights (set_weights),
  so a trained network in the course's own layout;
- outputs.npz: the noise and what Keras computes from it with each generator.
The test process never imports Keras: the app must not need it.
"""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]

KERAS_SCRIPT = r'''
import sys
import keras
import numpy as np
from safetensors.numpy import load_file

# --- verbatim from the course (deck 002, "le générateur") ---------------------------------------
class Generator(keras.Model):

    def __init__(self, random_noise_size = 100):
        super().__init__(name='generator')
        #layers
        self.input_layer = keras.layers.Dense(units = random_noise_size)
        self.dense_1 = keras.layers.Dense(units = 128)
        self.leaky_1 = keras.layers.LeakyReLU(alpha = 0.01)
        self.dense_2 = keras.layers.Dense(units = 128)
        self.leaky_2 = keras.layers.LeakyReLU(alpha = 0.01)
        self.dense_3 = keras.layers.Dense(units = 256)
        self.leaky_3 = keras.layers.LeakyReLU(alpha = 0.01)
        self.output_layer = keras.layers.Dense(units=784, activation = "tanh")

    def call(self, input_tensor):
        ## Definition of Forward Pass
        x = self.input_layer(input_tensor)
        x = self.dense_1(x)
        x = self.leaky_1(x)
        x = self.dense_2(x)
        x = self.leaky_2(x)
        x = self.dense_3(x)
        x = self.leaky_3(x)
        return self.output_layer(x)

    def generate_noise(self, batch_size, random_noise_size):
        return np.random.uniform(-1,1, size = (batch_size, random_noise_size))

# --- verbatim from the course (deck 002, "le discriminateur") -----------------------------------
class Discriminator(keras.Model):
    def __init__(self):
        super().__init__(name = "discriminator")

        #Layers
        self.input_layer = keras.layers.Dense(units = 784)
        self.dense_1 = keras.layers.Dense(units = 128)
        self.leaky_1 = keras.layers.LeakyReLU(alpha = 0.01)
        self.dense_2 = keras.layers.Dense(units = 128)
        self.leaky_2 = keras.layers.LeakyReLU(alpha = 0.01)
        self.dense_3 = keras.layers.Dense(units = 128)
        self.leaky_3 = keras.layers.LeakyReLU(alpha = 0.01)

        # This neuron tells us if the input is fake or real
        self.logits = keras.layers.Dense(units = 1)
    def call(self, input_tensor):
        ## Definition of Forward Pass
        x = self.input_layer(input_tensor)
        x = self.dense_1(x)
        x = self.leaky_1(x)
        x = self.leaky_2(x)
        x = self.leaky_3(x)
        x = self.leaky_3(x)
        x = self.logits(x)
        return x

# --- the generator written with the discriminator's call ----------------------------------------
class SkippingGenerator(Generator):
    def call(self, input_tensor):
        x = self.input_layer(input_tensor)
        x = self.dense_1(x)
        x = self.leaky_1(x)
        x = self.leaky_2(x)
        x = self.leaky_3(x)
        x = self.leaky_3(x)
        return self.output_layer(x)

out, dense_weights = sys.argv[1], sys.argv[2]
keras.utils.set_random_seed(0)
noise = np.random.default_rng(0).uniform(-1, 1, size=(8, 100)).astype("float32")
outputs = {"noise": noise}
discriminator = Discriminator()  # first, so the generators' Dense layers are not named dense, dense_1...
discriminator(np.zeros((1, 784), "float32"))
discriminator.save_weights(f"{out}/discriminator.weights.h5")
for name, cls in (("generator", Generator), ("skipping", SkippingGenerator)):
    model = cls()
    model(model.generate_noise(1, 100))  # a subclassed model is built by its first call
    model.save_weights(f"{out}/{name}.weights.h5")
    model.save(f"{out}/{name}.keras")
    outputs[name] = keras.ops.convert_to_numpy(model(noise))
trained = Generator()
trained(noise)
shipped = load_file(dense_weights)  # torch's Linear keeps (out, in), Keras's Dense (in, out)
for layer, index in zip([trained.input_layer, trained.dense_1, trained.dense_2, trained.dense_3,
                         trained.output_layer], [0, 1, 3, 5, 7]):
    layer.set_weights([shipped[f"generator.net.{index}.weight"].T, shipped[f"generator.net.{index}.bias"]])
trained.save_weights(f"{out}/dense.weights.h5")
outputs["dense"] = keras.ops.convert_to_numpy(trained(noise))
np.savez(f"{out}/outputs.npz", **outputs)
print("keras", keras.__version__)
'''


def write_keras_files(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "KERAS_BACKEND": "torch", "PYTHONWARNINGS": "ignore"}
    result = subprocess.run([sys.executable, "-c", KERAS_SCRIPT, str(folder),
                             str(ROOT / "weights" / "mnist-dense" / "model.safetensors")],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return folder


@pytest.fixture(scope="session")
def keras_files(tmp_path_factory) -> Path:
    return write_keras_files(tmp_path_factory.mktemp("keras"))


def keras_outputs(folder: Path) -> dict:
    with np.load(folder / "outputs.npz") as data:
        return {k: data[k] for k in data.files}
