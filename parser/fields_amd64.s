//go:build !purego

#include "go_asm.h"
#include "textflag.h"

// func classifyAVX2(masks *scanMasks, word int, src *byte, blocks int)
//
// For each 64-byte block of src, writes one word to each mask, from index
// word on, bit k standing for byte k of the block. A byte's class is looked up by its
// two nibbles: VPSHUFB maps the low nibble through one table and the high
// nibble through another, and the byte is in the class when the two
// answers share a bit (see nibbleTables). Line feeds are a compare.
TEXT ·classifyAVX2(SB), NOSPLIT, $0-32
	MOVQ masks+0(FP), DI
	MOVQ word+8(FP), AX
	LEAQ (DI)(AX*8), DI
	MOVQ src+16(FP), BX
	MOVQ blocks+24(FP), CX

	VBROADCASTI128 ·nibbleTables+nibbleTable_tokenLo(SB), Y8   // tchar, by low nibble
	VBROADCASTI128 ·nibbleTables+nibbleTable_tokenHi(SB), Y9  // tchar, by high nibble
	VBROADCASTI128 ·nibbleTables+nibbleTable_ctlLo(SB), Y10 // not a field byte, by low nibble
	VBROADCASTI128 ·nibbleTables+nibbleTable_ctlHi(SB), Y11 // not a field byte, by high nibble
	VBROADCASTI128 ·nibbleTables+nibbleTable_low(SB), Y12 // 0x0f in every byte
	VBROADCASTI128 ·nibbleTables+nibbleTable_lf(SB), Y14 // '\n' in every byte
	VPXOR Y13, Y13, Y13

	TESTQ CX, CX
	JLE   done

loop:
	// First 32 bytes.
	VMOVDQU (BX), Y0
	VPSRLW  $4, Y0, Y1
	VPAND   Y12, Y1, Y1      // high nibbles
	VPAND   Y12, Y0, Y0      // low nibbles
	VPSHUFB Y0, Y8, Y2
	VPSHUFB Y1, Y9, Y3
	VPAND   Y2, Y3, Y3
	VPCMPEQB Y13, Y3, Y3     // 0xff: not a tchar
	VPSHUFB Y0, Y10, Y4
	VPSHUFB Y1, Y11, Y5
	VPAND   Y4, Y5, Y5
	VPCMPEQB Y13, Y5, Y5     // 0xff: a field byte
	VPCMPEQB (BX), Y14, Y6   // 0xff: a line feed
	VPMOVMSKB Y3, AX
	VPMOVMSKB Y5, DX
	VPMOVMSKB Y6, R10

	// Second 32 bytes.
	VMOVDQU 32(BX), Y0
	VPSRLW  $4, Y0, Y1
	VPAND   Y12, Y1, Y1
	VPAND   Y12, Y0, Y0
	VPSHUFB Y0, Y8, Y2
	VPSHUFB Y1, Y9, Y3
	VPAND   Y2, Y3, Y3
	VPCMPEQB Y13, Y3, Y3
	VPSHUFB Y0, Y10, Y4
	VPSHUFB Y1, Y11, Y5
	VPAND   Y4, Y5, Y5
	VPCMPEQB Y13, Y5, Y5
	VPCMPEQB 32(BX), Y14, Y6
	VPMOVMSKB Y3, R8
	VPMOVMSKB Y5, R9
	VPMOVMSKB Y6, R11

	// Join the halves.
	SHLQ $32, R8
	ORQ  R8, AX
	MOVQ AX, scanMasks_nonToken(DI)
	SHLQ $32, R9
	ORQ  R9, DX
	NOTQ DX
	MOVQ DX, scanMasks_nonField(DI)
	SHLQ $32, R11
	ORQ  R11, R10
	MOVQ R10, scanMasks_lineFeed(DI)

	ADDQ $64, BX
	ADDQ $8, DI
	DECQ CX
	JNZ  loop

done:
	VZEROUPPER
	RET

// func classifyAVX512(masks *scanMasks, word int, src *byte, n int)
//
// classifyAVX2 with AVX-512BW, over n bytes: 64 bytes per instruction,
// the tests and compares write the bits straight into mask registers, and
// a last partial block is read with a masked load, which reads nothing
// past src+n and gives NUL for the bytes after it.
TEXT ·classifyAVX512(SB), NOSPLIT, $0-32
	MOVQ masks+0(FP), DI
	MOVQ word+8(FP), AX
	LEAQ (DI)(AX*8), DI
	MOVQ src+16(FP), BX
	MOVQ n+24(FP), DX

	VBROADCASTI32X4 ·nibbleTables+nibbleTable_tokenLo(SB), Z8
	VBROADCASTI32X4 ·nibbleTables+nibbleTable_tokenHi(SB), Z9
	VBROADCASTI32X4 ·nibbleTables+nibbleTable_ctlLo(SB), Z10
	VBROADCASTI32X4 ·nibbleTables+nibbleTable_ctlHi(SB), Z11
	VBROADCASTI32X4 ·nibbleTables+nibbleTable_low(SB), Z12
	VBROADCASTI32X4 ·nibbleTables+nibbleTable_lf(SB), Z14

	// Load mask: all 64 bytes, or the first DX for the last block.
	MOVQ $-1, AX
	KMOVQ AX, K4

loop512:
	CMPQ DX, $64
	JGE  block512
	TESTQ DX, DX
	JLE  done512
	MOVQ DX, CX
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVQ AX, K4
	MOVQ $64, DX

block512:
	VMOVDQU8.Z (BX), K4, Z0
	VPSRLW     $4, Z0, Z1
	VPANDD     Z12, Z1, Z1   // high nibbles
	VPANDD     Z12, Z0, Z2   // low nibbles
	VPSHUFB    Z2, Z8, Z3
	VPSHUFB    Z1, Z9, Z4
	VPTESTNMB  Z3, Z4, K1    // not a tchar
	VPSHUFB    Z2, Z10, Z5
	VPSHUFB    Z1, Z11, Z6
	VPTESTMB   Z5, Z6, K2    // not a field byte
	VPCMPEQB   Z14, Z0, K3   // a line feed
	KMOVQ      K1, AX
	KMOVQ      K2, CX
	KMOVQ      K3, R8
	MOVQ       AX, scanMasks_nonToken(DI)
	MOVQ       CX, scanMasks_nonField(DI)
	MOVQ       R8, scanMasks_lineFeed(DI)

	ADDQ $64, BX
	ADDQ $8, DI
	SUBQ $64, DX
	JMP  loop512

done512:
	VZEROUPPER
	RET

// func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL eaxArg+0(FP), AX
	MOVL ecxArg+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax uint32)
TEXT ·xgetbv(SB), NOSPLIT, $0-4
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	RET
