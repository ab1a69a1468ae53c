"""A visitor without a browser: Streamlit's own websocket protocol, spoken the way its frontend does.

One `Visit` is one browser tab: GET /_stcore/health first (the XSRF cookie, and a proxy's sticky
cookie), then the websocket /_stcore/stream, a `rerun_script` BackMsg naming the page by its url path
with the URL's query string, and ForwardMsgs until `script_finished`. The images the run produced are
then fetched from /media/ with the same cookies, as a browser would (through a proxy, they must reach
the process that holds them). Fragment reruns answer the server's `auto_rerun` as the browser's timer
does; an upload goes through /_stcore/upload_file, then a rerun carrying the uploader's widget state.
"""

import asyncio
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
TIMEOUT = 180  # seconds one run may take before it counts as an error


class VisitError(Exception):
    """The server answered with an error, an exception element, or not at all."""


@dataclass
class Run:
    """What one script run sent: its duration, images, metrics and what the next message needs."""
    seconds: float = 0.0
    status: int = -1
    media: list = field(default_factory=list)
    metrics: dict = field(default_factory=dict)
    uploaders: list = field(default_factory=list)
    components: dict = field(default_factory=dict)  # a custom component's name (its last part) -> (widget id, args)
    errors: list = field(default_factory=list)


class Visit:
    """One browser tab's session on `base` (http://host:port); use `async with`."""

    def __init__(self, base: str, cookies: dict | None = None):
        self.base = base
        self.cookies = cookies if cookies is not None else {}  # kept across visits, as a browser keeps them
        self.ws = None
        self.session_id = ""
        self.page_hash = ""
        self.query_string = ""
        self.fragment_id = ""  # the live fragment the server asked to rerun, if any, and how often
        self.interval = 0.0
        self.auto_rerun_stopped = False

    # --- HTTP with the visitor's cookies ---------------------------------------------------------
    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def _http(self, path: str, data: bytes | None = None, method: str = "GET", headers: dict | None = None):
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Cookie": self._cookie_header(), **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                body, status, got = response.read(), response.status, response.headers.get_all("Set-Cookie") or []
        except urllib.error.HTTPError as exc:
            raise VisitError(f"{method} {path.split('?')[0][:40]}: HTTP {exc.code}") from None
        except OSError as exc:
            raise VisitError(f"{method} {path.split('?')[0][:40]}: {exc}") from None
        for cookie in got:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        return status, body

    async def http(self, *args, **kwargs):
        return await asyncio.to_thread(self._http, *args, **kwargs)

    # --- The websocket -----------------------------------------------------------------------------
    async def __aenter__(self):
        await self.http("/_stcore/health")
        url = "ws" + self.base[len("http"):] + "/_stcore/stream"
        try:
            self.ws = await websockets.connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=TIMEOUT,
                                               additional_headers={"Cookie": self._cookie_header()})
        except (OSError, websockets.WebSocketException, asyncio.TimeoutError) as exc:
            raise VisitError(f"websocket: {exc}") from None
        return self

    async def __aexit__(self, *exc):
        if self.ws is not None:
            await self.ws.close()

    async def send(self, message: BackMsg) -> None:
        await self.ws.send(message.SerializeToString())

    async def receive(self) -> ForwardMsg:
        try:
            raw = await asyncio.wait_for(self.ws.recv(), TIMEOUT)
        except (websockets.WebSocketException, asyncio.TimeoutError) as exc:
            raise VisitError(f"websocket closed or silent: {exc!r}") from None
        message = ForwardMsg()
        message.ParseFromString(raw)
        return message

    def rerun_message(self, page: str = "", widgets=(), fragment_id: str = "") -> BackMsg:
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self.page_hash
        state.page_name = page
        if fragment_id:
            state.fragment_id = fragment_id
            state.is_auto_rerun = True
        for widget in widgets:
            state.widget_states.widgets.append(widget)
        return message

    async def open(self, path: str, query: str = "") -> Run:
        """Open a page by its url path ("" is the home page) and wait for its run to finish."""
        self.query_string = query
        return await self.run(self.rerun_message(page=path))

    async def run(self, message: BackMsg) -> Run:
        """Send a rerun and read until its script_finished."""
        start = time.perf_counter()
        await self.send(message)
        return await self.read_run(start)

    async def read_run(self, start: float | None = None) -> Run:
        start = time.perf_counter() if start is None else start
        run = Run()
        while True:
            message = await self.receive()
            self.absorb(message, run)
            if message.WhichOneof("type") == "script_finished":
                run.seconds = time.perf_counter() - start
                run.status = message.script_finished
                return run

    def absorb(self, message: ForwardMsg, run: Run) -> None:
        kind = message.WhichOneof("type")
        if kind == "new_session":
            self.session_id = message.new_session.initialize.session_id
        elif kind == "navigation":
            self.page_hash = message.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query_string = message.page_info_changed.query_string
        elif kind == "page_not_found":
            run.errors.append(f"page not found: {message.page_not_found.page_name}")
        elif kind == "auto_rerun":
            self.fragment_id, self.interval = message.auto_rerun.fragment_id, message.auto_rerun.interval
        elif kind == "stop_auto_rerun":
            self.auto_rerun_stopped = True
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            which = element.WhichOneof("type")
            if which == "imgs":
                run.media += [image.url for image in element.imgs.imgs if image.url.startswith("/media/")]
            elif which == "metric":
                run.metrics[element.metric.label] = element.metric.body
            elif which == "file_uploader":
                run.uploaders.append(element.file_uploader.id)
            elif which == "component_instance":
                instance = element.component_instance
                run.components[instance.component_name.rsplit(".", 1)[-1]] = (instance.id, instance.json_args)
            elif which == "exception":
                run.errors.append(f"exception: {element.exception.type}: {element.exception.message[:120]}")

    async def fetch_media(self, run: Run) -> None:
        for url in run.media:
            await self.http(url)

    async def upload(self, uploader_id: str, name: str, data: bytes, content_type: str = "image/png") -> Run:
        """Upload one file to a file_uploader the way the frontend does, and wait for the rerun it causes."""
        start = time.perf_counter()
        ask = BackMsg()
        ask.file_urls_request.request_id = uuid.uuid4().hex
        ask.file_urls_request.file_names.append(name)
        ask.file_urls_request.session_id = self.session_id
        await self.send(ask)
        while True:
            message = await self.receive()
            if message.WhichOneof("type") == "file_urls_response":
                response = message.file_urls_response
                break
        if response.error_msg or not response.file_urls:
            raise VisitError(f"file URLs refused: {response.error_msg}")
        urls = response.file_urls[0]
        boundary = uuid.uuid4().hex
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
        await self.http(urls.upload_url, data=body, method="PUT",
                        headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                                 "X-Xsrftoken": self.cookies.get("_streamlit_xsrf", "")})
        rerun = self.rerun_message()
        widget = rerun.rerun_script.widget_states.widgets.add()
        widget.id = uploader_id
        info = widget.file_uploader_state_value.uploaded_file_info.add()
        info.name, info.size, info.file_id = name, len(data), urls.file_id
        info.file_urls.CopyFrom(urls)
        await self.send(rerun)
        return await self.read_run(start)
