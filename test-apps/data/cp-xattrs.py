# cp -a, shutil.copy2 and shutil.copytree of a small tree with extended
# attributes: each copy keeps them. Debian's cp (the test --copy's it) does
# the copying; the script makes the tree in the working directory and prints
# each copy's files with their attributes, sorted.
# Run as: python3 cp-xattrs.py
import os
import shutil
import subprocess


def make_tree(root):
    os.makedirs(os.path.join(root, "sub"))
    for name, text in (("a.txt", "one\n"), ("sub/b.txt", "two\n")):
        with open(os.path.join(root, name), "w") as f:
            f.write(text)
    os.symlink("a.txt", os.path.join(root, "link"))
    os.setxattr(os.path.join(root, "a.txt"), "user.colour", b"blue")
    os.setxattr(os.path.join(root, "a.txt"), "user.empty", b"")
    os.setxattr(os.path.join(root, "sub/b.txt"), "user.binary", bytes(range(8)) * 64)
    os.setxattr(os.path.join(root, "sub"), "user.folder", b"yes")
    os.chmod(os.path.join(root, "sub/b.txt"), 0o600)


def show(root):
    print(f"{root}:")
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in [""] + sorted(dirs + files):
            path = os.path.join(folder, name) if name else folder
            if name in dirs:
                continue  # shown when walked
            st = os.lstat(path)
            attrs = []
            if not os.path.islink(path):
                for key in sorted(os.listxattr(path, follow_symlinks=False)):
                    value = os.getxattr(path, key, follow_symlinks=False)
                    attrs.append(f"{key}={value[:8].hex()}/{len(value)}")
            kind = "link" if os.path.islink(path) else "dir" if os.path.isdir(path) else "file"
            line = f"  {os.path.relpath(path, root)} {kind} {oct(st.st_mode & 0o7777)} {' '.join(attrs)}"
            print(line.rstrip())


os.umask(0o022)
make_tree("tree")
show("tree")
status = subprocess.run(["cp", "-a", "tree", "copy"]).returncode
print("cp -a:", status)
show("copy")
shutil.copytree("tree", "copytree", symlinks=True)
show("copytree")
shutil.copy2("tree/a.txt", "copy2.txt")
print("copy2:", sorted(os.listxattr("copy2.txt")), os.getxattr("copy2.txt", "user.colour"))
for path in ("tree", "copy", "copytree"):
    shutil.rmtree(path)
os.unlink("copy2.txt")
