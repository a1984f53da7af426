	.text
	.globl	asm_g
	.type	asm_g,@function
asm_g:
	movl	$7, %eax
	retq
	.section	.note.GNU-stack,"",@progbits
