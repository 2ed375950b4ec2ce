/* Test-harness stand-in for bcryptprimitives.dll, which Windows 10/11 has and wine 8.0 lacks.
 * Rust-built extension modules (python-calamine, pydantic-core) import ProcessPrng from it.
 * This copy forwards to RtlGenRandom (advapi32 SystemFunction036), which wine does provide.
 * Used only to run the tests under wine; never part of the product. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
