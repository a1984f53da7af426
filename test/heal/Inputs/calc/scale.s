# long asm_scale(long a, long b): a * 3 + b. An assembly source has no bitcode, so heal-cc
# keeps a copy of its object in the binary for `heal rebuild`.
	.text
	.globl	asm_scale
	.type	asm_scale, @function
asm_scale:
	leaq	(%rdi,%rdi,2), %rax
	addq	%rsi, %rax
	ret
	.size	asm_scale, .-asm_scale
	.section	.note.GNU-stack,"",@progbits
