"""FastAPI application factory plus the outermost ASGI layer (fault injection and request counters).

The outer layer wraps the whole FastAPI app (outside Starlette's ServerErrorMiddleware) so that it
sees uvicorn's raw `send` and can drop a connection without answering, and so that it can read the
matched route template (`scope["route"]`) after the app ran, for the per-route counters.
"""
import asyncio

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from . import routes_admin, routes_core, routes_deployments, routes_devices, routes_packages, routes_resources
from .context import DEVICE_PREFIX, Emulator
from .errors import ApiError
from .v2 import routes_account as v2_account, routes_packages as v2_packages, routes_resources as v2_resources
from .v2 import routes_deployments as v2_deployments

ADMIN_PREFIX = "/_emulator"
API_MODULES = (routes_packages, routes_deployments, routes_devices, routes_resources, routes_core,
               v2_account, v2_packages, v2_resources, v2_deployments)


class DroppedConnection(Exception):
    """Raised when a fault drops a connection but there is no socket to close (in-process TestClient)."""


def _is_api(path):
    return path != "/" and not path.startswith(ADMIN_PREFIX) and path != "/favicon.ico"


def _error_response(request, status, message):
    if request.url.path.startswith(DEVICE_PREFIX):
        return JSONResponse({"status": "error", "response": {"data": {}, "error": message}}, status_code=status)
    return JSONResponse({"error": message}, status_code=status)


def build_fastapi(emu):
    # The OpenAPI document sits under the admin prefix: no auth, no faults, not counted.
    app = FastAPI(title="rio_emulator", docs_url=None, redoc_url=None, openapi_url=ADMIN_PREFIX + "/openapi.json")
    app.state.emulator = emu

    @app.exception_handler(ApiError)
    async def api_error(request, exc):
        return JSONResponse(exc.body(), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request, exc):
        problems = "; ".join("%s: %s" % (".".join(str(p) for p in e.get("loc", ())), e.get("msg"))
                             for e in exc.errors())
        return _error_response(request, 400, "invalid request: %s" % problems)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request, exc):
        message = "not found: %s %s" % (request.method, request.url.path) if exc.status_code == 404 else str(exc.detail)
        return _error_response(request, exc.status_code, message)

    @app.exception_handler(Exception)
    async def unexpected(request, exc):
        return _error_response(request, 500, "internal emulator error: %s" % type(exc).__name__)

    for module in API_MODULES:
        app.include_router(module.router)
    app.include_router(routes_core.login_router)
    app.include_router(routes_admin.router)
    app.include_router(routes_admin.page)
    return app


class EmulatorASGI:
    def __init__(self, emu):
        self.emulator = emu
        self.fastapi = build_fastapi(emu)
        self.state = self.fastapi.state
        # (method, regex, template) of every API route, for requests the router never saw.
        self._templates = [(method, compile_path(route.path)[0], route.path)
                           for module in API_MODULES for route in module.router.routes
                           for method in sorted(getattr(route, "methods", None) or ())]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not _is_api(scope.get("path", "")):
            return await self.fastapi(scope, receive, send)
        method = scope.get("method", "GET")
        status = {"code": 0}

        async def counting_send(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        fault = self.emulator.faults.draw()
        try:
            if fault == "delay":
                await asyncio.sleep(self.emulator.faults.latency_ms / 1000.0)
            elif fault in ("503", "500"):
                body = (b'{"error": "service unavailable (injected fault)"}' if fault == "503"
                        else b'{"error": "internal server error (injected fault)"}')
                await counting_send({"type": "http.response.start", "status": int(fault),
                                     "headers": [(b"content-type", b"application/json"),
                                                 (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
            elif fault == "drop":
                await self._drop(send)
                return
            await self.fastapi(scope, receive, counting_send)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or self._template(scope)
            self.emulator.stats.record(method, template, status["code"] or 599)

    def _template(self, scope):
        """Route template of a request the router did not see (faulted) or could not match."""
        path, method = scope.get("path", ""), scope.get("method")
        for route_method, regex, template in self._templates:
            if route_method == method and regex.match(path):
                return template
        return path

    @staticmethod
    async def _drop(send):
        # uvicorn's `send` is a bound method of its request cycle, which holds the transport:
        # aborting it closes the socket without a byte of answer.
        transport = getattr(getattr(send, "__self__", None), "transport", None)
        if transport is None:
            raise DroppedConnection("injected fault: connection dropped")
        transport.abort()
        await asyncio.sleep(0)
        await asyncio.sleep(0)


def create_app(settings):
    """The ASGI application for `settings` (a context.Settings)."""
    return EmulatorASGI(Emulator(settings))
