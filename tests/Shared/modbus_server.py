"""A real Modbus TCP server (Debian's python3-pymodbus) for the tests, on 127.0.0.1 only, with a known register map.

Usage: /usr/bin/python3 modbus_server.py PORT

Register map (zero-based addresses, unit id 1; any unit id is answered the same):
  discrete inputs  0-3   1, 0, 1, 1
  coils            0-99  all off (written by the tests)
  holding          0-2   0x022B, 0, 100        (the specification's FC3 example values)
  holding          3-99  0 (written by the tests)
  input            0-1   10, 20
  input            2-3   0x42F6, 0xE979        (123.456 as a big-endian float32, ABCD)
  input            4-5   0xE979, 0x42F6        (the same float32 with the low word first, CDAB)
  input            6-7   0xFFFF, 0xFFFE        (-2 as an int32, ABCD)
  input            8     0x01F4                (500: with scale 0.1 and offset -40, 10.0 degrees)
Reading past address 99 answers exception 2 (illegal data address).
"""
import asyncio
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartAsyncTcpServer


def main() -> None:
    port = int(sys.argv[1])
    store = ModbusSlaveContext(
        di=ModbusSequentialDataBlock(0, [1, 0, 1, 1] + [0] * 96),
        co=ModbusSequentialDataBlock(0, [0] * 100),
        hr=ModbusSequentialDataBlock(0, [0x022B, 0, 100] + [0] * 97),
        ir=ModbusSequentialDataBlock(0, [10, 20, 0x42F6, 0xE979, 0xE979, 0x42F6, 0xFFFF, 0xFFFE, 0x01F4] + [0] * 91),
        zero_mode=True)
    context = ModbusServerContext(slaves=store, single=True)
    print(f"modbus server on 127.0.0.1:{port}", flush=True)
    # Reuse the address: a restart on the same port must not wait for the old connections' TIME_WAIT to end.
    asyncio.run(StartAsyncTcpServer(context=context, address=("127.0.0.1", port), allow_reuse_address=True))


if __name__ == "__main__":
    main()
