"""Nagle's algorithm off on the server's TCP sockets (TCP_NODELAY), as asyncio means it to be.

Streamlit's server (uvicorn) listens on a socket it creates without naming the protocol (proto 0),
and asyncio sets TCP_NODELAY only on accepted sockets that say IPPROTO_TCP (the same bug as
uvicorn's own pre-bound sockets, Kludex/uvicorn#3149). So Nagle stays on: on a kept-alive
connection (every browser's, and Caddy's to its backends) a response's body waits for the client's
delayed ACK of its headers, about 40 ms on Linux, and so do small websocket messages. Measured
through ./serve: 44 ms for /_stcore/health, ~36 ms per image, against 1 ms straight to Streamlit
on a fresh connection. Accepted sockets inherit TCP_NODELAY from their listener (Linux), so it is
set once on every TCP socket the process holds, the listener included.
"""

import os
import socket
import stat


def nodelay_everywhere() -> int:
    """TCP_NODELAY on every TCP socket of this process; how many. Nothing where /proc is missing."""
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        return 0
    done = 0
    for fd in fds:
        try:
            if not stat.S_ISSOCK(os.fstat(fd).st_mode):
                continue
            with socket.socket(fileno=os.dup(fd)) as sock:  # a second handle on the same socket
                if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    done += 1
        except OSError:  # closed meanwhile by another thread, or not a socket we may touch
            continue
    return done
