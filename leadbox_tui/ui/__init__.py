"""The Textual face of Leadbox. Everything here reads and writes through ``services``."""
