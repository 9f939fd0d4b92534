# The standard-library tour that sole's tests run natively and in sole.
import hashlib
import io
import json
import os
import re
import sqlite3
import struct
import zlib

record = {"name": "sole", "tags": ["unikernel", "ring 3"], "size": 42, "ratio": 1.5}
text = json.dumps(record, sort_keys=True)
print(text)
print(json.loads(text) == record)
print(re.findall(r"[a-z]+(\d+)", "abc12 de345 f6"))
print(re.sub(r"(\w+)@(\w+)", r"\2 at \1", "user@example and admin@host"))
print(hashlib.sha256(text.encode()).hexdigest())
print(hashlib.md5(b"sole").hexdigest())
db = sqlite3.connect("job.db")
db.execute("create table kv(k text primary key, v integer)")
db.executemany("insert into kv values(?, ?)", [(f"key{i}", i * i) for i in range(500)])
db.commit()
print(db.execute("select count(*), sum(v) from kv").fetchone())
db.close()
os.makedirs("out/nested", exist_ok=True)
with open("out/nested/data.bin", "wb") as f:
    f.write(struct.pack("<IHd", 7, 9, 2.5) * 100)
print(sorted(os.listdir("out")), os.path.getsize("out/nested/data.bin"))
buffer = io.StringIO()
buffer.write("line one\nline two\n")
print(buffer.getvalue().splitlines())
packed = zlib.compress(b"sole " * 1000, 9)
print(len(packed), zlib.decompress(packed)[:10])
print(struct.unpack("<IHd", struct.pack("<IHd", 1, 2, 3.25)))
