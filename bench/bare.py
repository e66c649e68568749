"""The stack's ceiling on this machine: a bare FastAPI endpoint returning a small JSON."""

from fastapi import FastAPI
from pydantic import BaseModel


class Pong(BaseModel):
    status: str
    items: list[int]


def create_app() -> FastAPI:
    app = FastAPI(openapi_url=None)

    @app.get("/ping")
    async def ping() -> Pong:
        return Pong(status="ok", items=[1, 2, 3])

    return app
