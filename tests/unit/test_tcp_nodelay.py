"""ganzoo.runtime.tcp: a listener made as Streamlit's server makes it (no protocol named, so asyncio
leaves Nagle on) gets TCP_NODELAY, and so does every connection it accepts afterwards."""

import socket

from ganzoo.runtime.tcp import nodelay_everywhere


def nodelay(sock: socket.socket) -> int:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_the_listener_and_what_it_accepts_send_at_once():
    with socket.socket(family=socket.AF_INET) as listener:  # proto 0, as streamlit's _bind_socket
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        with socket.create_connection(listener.getsockname()) as early:
            accepted_before, _ = listener.accept()
            assert listener.proto == 0 and nodelay(listener) == 0 and nodelay(accepted_before) == 0
            assert nodelay_everywhere() >= 3  # the listener and both ends of the early connection
            assert nodelay(listener) and nodelay(accepted_before) and nodelay(early)
            with socket.create_connection(listener.getsockname()):
                accepted_after, _ = listener.accept()
                assert nodelay(accepted_after)  # inherited from the listener
            accepted_before.close()
            accepted_after.close()
