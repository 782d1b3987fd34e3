"""The `pcap: PATH N` check: a pcap file written by skboutput() (link type RAW)."""

import struct
import time

FILE_HEADER = struct.Struct("=IHHiIII")  # magic, major, minor, zone, sigfigs, snaplen, link type
RECORD_HEADER = struct.Struct("=IIII")  # seconds, microseconds, captured length, original length
EXPECTED_HEADER = (0xA1B2C3D4, 2, 4, 0, 0, 65535, 101)
MAX_CLOCK_SKEW_S = 60


def _packet_problem(index, header, packet, now):
    seconds, micros, captured, original = header
    if captured != original or len(packet) != captured:
        return f"packet {index}: captured {captured} of {original} bytes, {len(packet)} present"
    if captured < 20 or packet[0] >> 4 not in (4, 6):
        return f"packet {index} ({captured} bytes) does not start with an IP header: {packet[:4].hex()}"
    if micros >= 1000000 or abs(seconds - now) > MAX_CLOCK_SKEW_S:
        return f"packet {index} is stamped {seconds}.{micros:06d}, the clock says {now:.0f}"
    return None


def check_pcap(path, minimum):
    """Failure messages for the pcap file at `path`, which must hold at least `minimum` packets."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        return [f"the pcap file {path} cannot be read: {e}"]
    if len(data) < FILE_HEADER.size or FILE_HEADER.unpack_from(data) != EXPECTED_HEADER:
        return [f"{path} lacks the pcap header {EXPECTED_HEADER}: {data[:FILE_HEADER.size].hex()}"]
    now = time.time()
    at, count = FILE_HEADER.size, 0
    while at < len(data):
        if at + RECORD_HEADER.size > len(data):
            return [f"{path} ends inside the header of packet {count}"]
        header = RECORD_HEADER.unpack_from(data, at)
        at += RECORD_HEADER.size
        packet = data[at:at + header[2]]
        at += header[2]
        problem = _packet_problem(count, header, packet, now)
        if problem:
            return [f"{path}: {problem}"]
        count += 1
    if count < minimum:
        return [f"{path} holds {count} packets, expected at least {minimum}"]
    print(f"INFO pcap {path}: {count} packets")
    return []
