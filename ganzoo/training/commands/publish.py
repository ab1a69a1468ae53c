"""The last step of every kind: write the Hub-layout folder, then publish it when asked."""

from pathlib import Path

from ganzoo.io import checkpoints

# What a shipped folder holds (weights/<name>/): not the training state or the command list kept to resume.
PUBLISHED = ["config.json", "model.safetensors", "README.md", "card.json", "snapshots/*"]


def save_and_push(model, out, card: dict, repo=None) -> Path:
    """Save `model` and its card in `out`; with `repo` (--push-to-hub), upload that folder there."""
    folder = checkpoints.save(model.cpu(), out, card)
    print(f"wrote {folder}")
    if repo:
        from huggingface_hub import HfApi
        api = HfApi()
        api.create_repo(repo, exist_ok=True)
        api.upload_folder(repo_id=repo, folder_path=str(folder), allow_patterns=PUBLISHED)
        print(f"pushed {folder} to {repo}")
    return folder
