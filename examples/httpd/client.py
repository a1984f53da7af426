#!/usr/bin/env python3
"""client.py PORT FILE: send FILE's bytes to 127.0.0.1:PORT and print the response.

The small HTTP client of httpd's test.sh (no curl needed). Exits 1 if the connection
fails or the server closes without answering."""
import socket
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: client.py PORT FILE")
    port, path = int(sys.argv[1]), sys.argv[2]
    with open(path, "rb") as f:
        data = f.read()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        chunks = []
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    response = b"".join(chunks)
    if not response:
        sys.exit("client.py: no response")
    sys.stdout.write(response.decode("utf-8", "replace").replace("\r\n", "\n"))


if __name__ == "__main__":
    main()
