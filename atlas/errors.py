"""Domain errors: a French message for the person, the detail for the developer."""


class AtlasError(Exception):
    """An error a user can cause and fix; `message` is shown as is, in French."""

    def __init__(self, message: str, detail: str = ""):
        super().__init__(message)
        self.message = message
        self.detail = detail
