"""Small typed dialogs (``ModalScreen[T]``) that dismiss a value for the screen to act on."""
