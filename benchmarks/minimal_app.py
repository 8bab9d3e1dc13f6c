"""The floor: the smallest Textual app, timed from process start to its first frame, and from a
key (``j``) to the screen it redraws (one line of text)."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class MinimalApp(App[None]):
    BINDINGS = [("j", "next", "Next")]
    presses = 0

    def compose(self) -> ComposeResult:
        yield Static("first frame ready")

    def action_next(self) -> None:
        self.presses += 1
        self.query_one(Static).update(f"key {self.presses} drawn")


if __name__ == "__main__":
    MinimalApp().run()
