# signal.alarm and signal.setitimer in Python: handlers run between
# bytecodes, time.sleep resumes after a handler (PEP 475), and an exception
# raised in a handler ends a blocking loop.
import signal
import time

fired = []
signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
start = time.monotonic()
print("alarm(1) returns", signal.alarm(1))
while not fired:
    time.sleep(0.05)
print("alarm fired:", fired == [signal.SIGALRM], "not early:", time.monotonic() - start >= 0.99)

ticks = 0


def tick(signum, frame):
    global ticks
    ticks += 1


signal.signal(signal.SIGALRM, tick)
signal.setitimer(signal.ITIMER_REAL, 0.05, 0.02)
interval = signal.getitimer(signal.ITIMER_REAL)[1]
print("getitimer interval:", round(interval, 3))
while ticks < 5:
    signal.pause()
signal.setitimer(signal.ITIMER_REAL, 0)
print("setitimer ticked at least 5 times:", ticks >= 5, "now off:", signal.getitimer(signal.ITIMER_REAL))

signal.signal(signal.SIGALRM, lambda signum, frame: None)
signal.setitimer(signal.ITIMER_REAL, 0.05)
start = time.monotonic()
time.sleep(0.3)
print("sleep resumed after the handler:", time.monotonic() - start >= 0.29)


def give_up(signum, frame):
    raise TimeoutError("too slow")


signal.signal(signal.SIGALRM, give_up)
signal.setitimer(signal.ITIMER_REAL, 0.1)
try:
    while True:
        time.sleep(1)
except TimeoutError as e:
    print("handler raised:", e)
