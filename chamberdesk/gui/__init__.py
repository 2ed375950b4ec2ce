"""The PySide6 desktop GUI. Widgets call core services; they never run SQL themselves."""
