#define VALUE 7
	.text
	.globl	asm_g
	.type	asm_g,@function
asm_g:
	movl	$VALUE, %eax
	retq
	.section	.note.GNU-stack,"",@progbits
