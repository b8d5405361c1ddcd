"""Handle: the base of the classes that own (or borrow) one C handle."""

from ._loader import C


class Handle(object):
    """Owns the C handle self._h and frees it once, with the C function named
    by the subclass's _free ("crm_config_free", ...); _noun names the object in
    the error of a closed handle ("the configuration is closed").

    A handle borrowed from another object (owner) keeps that object alive and
    is not freed here.
    """

    _free = None  # name of the C function that frees the handle
    _noun = "handle"

    def __init__(self, handle, owner=None):
        self._h = handle
        self._owner = owner

    def __del__(self):
        self.close()

    def close(self):
        h = getattr(self, "_h", None)
        self._h = None
        if h and getattr(self, "_owner", None) is None:
            try:
                getattr(C, self._free)(h)
            except Exception:  # interpreter shutdown
                pass

    @property
    def handle(self):
        if not self._h:
            raise ValueError("the %s is closed" % self._noun)
        return self._h
