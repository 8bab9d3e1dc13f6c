"""What the seller can do, as functions over plain dataclasses; nothing here imports Textual."""
