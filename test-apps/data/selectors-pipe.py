# selectors on pipes: Python's DefaultSelector (epoll) and the poll and
# select selectors, with a thread writing into a pipe the main thread waits on.
import os
import selectors
import threading
import time


def exchange(selector_class):
    sel = selector_class()
    r, w = os.pipe()
    sel.register(r, selectors.EVENT_READ, "reader")
    print(selector_class.__name__, "idle:", sel.select(timeout=0))

    def writer():
        for word in (b"one ", b"two ", b"three"):
            time.sleep(0.01)
            os.write(w, word)
        os.close(w)

    t = threading.Thread(target=writer)
    t.start()
    got = b""
    while True:
        events = sel.select(timeout=10)
        if not events:
            print("timed out")
            break
        key, mask = events[0]
        chunk = os.read(key.fd, 100)
        if not chunk:
            break
        got += chunk
    t.join()
    print(selector_class.__name__, "got:", got.decode(), "data:", key.data, "mask:", mask)
    sel.unregister(r)
    os.close(r)

    r, w = os.pipe()
    sel.register(w, selectors.EVENT_WRITE)
    print(selector_class.__name__, "writable:", [m for _, m in sel.select(timeout=0)])
    sel.close()
    os.close(r)
    os.close(w)


for cls in (selectors.DefaultSelector, selectors.PollSelector, selectors.SelectSelector):
    exchange(cls)
