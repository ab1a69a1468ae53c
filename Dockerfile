# ganzoo as a container: a Hugging Face Docker Space, or any container host.
#   docker build -t ganzoo .                       CPU wheels of torch (no CUDA download)
#   docker build --build-arg TORCH=cu130 -t ganzoo .   CUDA 13.0 wheels, for a GPU host
#   docker run -p 8501:8501 ganzoo                  ./serve: one Streamlit process per core behind Caddy
FROM python:3.11-slim

# "cpu" or a CUDA tag of PyTorch's wheel index (cu126, cu128, cu130...).
ARG TORCH=cpu

# MALLOC_ARENA_MAX: glibc gives each of Streamlit's script threads a malloc arena of its own, which
# keeps the pages that thread freed; two arenas keep a busy server smaller. Read at process start only.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MALLOC_ARENA_MAX=2 \
    PIP_NO_CACHE_DIR=1 \
    HOME=/home/user

# Caddy, Debian's package: ./serve's reverse proxy, keeping each visitor on one Streamlit process by a cookie.
RUN apt-get update && apt-get install -y --no-install-recommends caddy && rm -rf /var/lib/apt/lists/*

# Spaces run the container as uid 1000; so does this image.
RUN useradd --create-home --uid 1000 user
WORKDIR /home/user/app

# torch and torchvision first, from PyTorch's index for the chosen build, so that installing
# requirements.txt finds them already satisfied instead of pulling PyPI's CUDA build.
COPY requirements.txt .
RUN pip install --index-url "https://download.pytorch.org/whl/${TORCH}" \
        "torch==$(sed -n 's/^torch==//p' requirements.txt)" \
        "torchvision==$(sed -n 's/^torchvision==//p' requirements.txt)" \
    && pip install -r requirements.txt

COPY --chown=user . .
USER user

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"

# One Streamlit process per core the container may use (--processes K to choose), behind Caddy on 8501.
CMD ["./serve", "--port", "8501"]
