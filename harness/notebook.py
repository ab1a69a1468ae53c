"""The published notebook's 2x2 GAN transcribed independently in plain numpy (global RNG): what the
tests check ganzoo.lessons.toy against and what benchmarks/toy_gan.py times as its baseline."""

import numpy as np

NOTEBOOK_FACES = ([1, 0, 0, 1], [0.9, 0.1, 0.2, 0.8], [0.9, 0.2, 0.1, 0.8], [0.8, 0.1, 0.2, 0.9],
                  [0.8, 0.2, 0.1, 0.9])


def numpy_reference(faces=NOTEBOOK_FACES, seed=42, lr=0.01, epochs=1000):
    """An independent transcription of the published notebook: numpy only, global RNG.
    """
    sigmoid = lambda x: np.exp(x) / (1.0 + np.exp(x))  # noqa: E731
    faces = [np.array(f, dtype=float) for f in faces]
    np.random.seed(seed)
    dw = np.array([np.random.normal() for _ in range(4)])
    db = np.random.normal()
    gw = np.array([np.random.normal() for _ in range(4)])
    gb = np.array([np.random.normal() for _ in range(4)])
    for _ in range(epochs):
        for face in faces:
            p = sigmoid(np.dot(face, dw) + db)
            dw = dw - lr * (-face * (1 - p))
            db = db - lr * (-(1 - p))
            z = np.random.rand()
            noise = sigmoid(z * gw + gb)
            p = sigmoid(np.dot(noise, dw) + db)
            dw = dw - lr * (noise * p)
            db = db - lr * p
            x = sigmoid(z * gw + gb)
            y = sigmoid(np.dot(x, dw) + db)
            factor = -(1 - y) * dw * x * (1 - x)
            gw = gw - lr * factor * z
            gb = gb - lr * factor
    return {"G_weights": gw, "G_biases": gb, "D_weights": dw, "D_bias": db}
