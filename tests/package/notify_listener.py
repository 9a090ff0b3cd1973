# The systemd side of sd_notify for package_test.sh: binds a datagram socket in the abstract
# namespace (what $NOTIFY_SOCKET="@name" means) and appends each message it receives, one
# per line, to a file, until STOPPING=1 or the time limit. The first line written is
# "bound", so the test knows the socket exists before it starts the server.
import socket
import sys

name, out, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0" + name)
s.settimeout(seconds)
with open(out, "a") as f:
    f.write("bound\n")
    f.flush()
    while True:
        try:
            message = s.recv(4096).decode()
        except socket.timeout:
            break
        f.write(message.replace("\n", " ") + "\n")
        f.flush()
        if "STOPPING=1" in message:
            break
