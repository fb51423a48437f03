/*
 * A stand-in for Windows 10's bcryptprimitives.dll, which Wine 8 lacks:
 * the Go runtime (1.24 and later) loads it at start for ProcessPrng, its
 * source of random bytes, and stops when it is missing. test/windows
 * builds it with mingw-w64 and puts it into each Wine prefix's system32.
 * It is test tooling only; Windows 10 and 11 have the real one.
 */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	/* RtlGenRandom (advapi32's SystemFunction036) takes a ULONG length. */
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!RtlGenRandom(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
