"""The ceiling: a bare Litestar hello-world served exactly like the app (same uvicorn options)."""

from litestar import Litestar, get


@get("/")
async def hello() -> dict[str, str]:
    """The smallest JSON answer Litestar can give."""
    return {"hello": "world"}


app = Litestar([hello])
