# Prints heal's records in an ELF file: the flags of each .heal_* section, every
# .heal_bitcode and .heal_objects record, and the .heal_link JSON (in that order) with
# record ids replaced by the source (or file) names of the records they name, so tests can
# check them exactly.
import json
import os
import struct
import sys


def sections(data):
    if data[:4] != b"\x7fELF" or data[4] != 2:
        sys.exit("not an ELF64 file")
    shoff = struct.unpack_from("<Q", data, 0x28)[0]
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    hdrs = [struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize) for i in range(shnum)]
    stroff = hdrs[shstrndx][4]
    for name, typ, flags, _addr, off, size in hdrs:
        end = data.index(b"\0", stroff + name)
        yield data[stroff + name:end].decode(), flags, data[off:off + size]


def records(blob, magic, hdr_fmt):
    off, size = 0, struct.calcsize(hdr_fmt)
    while off < len(blob):
        if blob[off] == 0:
            off += 1
            continue
        fields = struct.unpack_from(hdr_fmt, blob, off)
        assert fields[0] == magic, "bad record magic %r" % fields[0]
        assert fields[1] % 8 == 0, "record not padded to 8"
        yield fields, blob[off + size:off + fields[1]]
        off += fields[1]


def cstr(b, off):
    end = b.index(b"\0", off)
    return b[off:end].decode(), end + 1


def main():
    data = open(sys.argv[1], "rb").read()
    names = {}
    link = None
    order = {".heal_bitcode": 0, ".heal_objects": 1, ".heal_link": 2}
    found = [s for s in sections(data) if s[0] in order]
    for name, flags, blob in sorted(found, key=lambda s: order[s[0]]):
        print("section %s alloc=%s" % (name, "yes" if flags & 2 else "no"))
        if name == ".heal_bitcode":
            for (_, _, rid, ssz, asz, nargs, _, bcsz), body in records(blob, b"HEALBC1\0", "<8sQQIIIIQ"):
                src, off = cstr(body, 0)
                args = []
                for _ in range(nargs):
                    a, off = cstr(body, off)
                    args.append(a)
                bc = body[off:off + bcsz]
                names["%016x" % rid] = os.path.basename(src)
                print("bitcode source=%s args=%s bitcode=%s" % (
                    os.path.basename(src), json.dumps(args),
                    "ok" if bc[:4] == b"BC\xc0\xde" else "BAD"))
        elif name == ".heal_objects":
            for (_, _, rid, nsz, _, osz), body in records(blob, b"HEALOB1\0", "<8sQQIIQ"):
                nm, off = cstr(body, 0)
                obj = body[off:off + osz]
                names["%016x" % rid] = os.path.basename(nm)
                print("object name=%s elf=%s" % (os.path.basename(nm),
                                                 "ok" if obj[:4] == b"\x7fELF" else "BAD"))
        elif name == ".heal_link":
            magic, n = struct.unpack_from("<8sQ", blob, 0)
            assert magic == b"HEALLK1\0"
            link = json.loads(blob[16:16 + n])
    if link is not None:
        for k in sorted(link):
            if k != "args":
                print("link.%s: %s" % (k, json.dumps(link[k])))
        for i, a in enumerate(link["args"]):
            if isinstance(a, dict):
                a = {k: ([names.get(x, "?" + x) for x in v] if isinstance(v, list) else v)
                     for k, v in a.items()}
            print("link.args[%d]: %s" % (i, json.dumps(a, sort_keys=True)))


main()
