"""The floor: the smallest Textual app, timed from process start to its first frame."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class MinimalApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("first frame ready")


if __name__ == "__main__":
    MinimalApp().run()
