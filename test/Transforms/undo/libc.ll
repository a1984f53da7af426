; heal-undo and libc: each known writer logs what it will write (a range, or a runtime
; helper that computes it), allocation calls go to __heal_tx_*, writes into the
; function's own frame stay unlogged, unknown external calls are left alone.
; RUN: echo '{"version":1,"transactions":[{"function":"tx"}]}' > %t.json
; RUN: %opt_heal -passes=heal-undo -heal-policy=%t.json -S %s | FileCheck %s

@g = global [64 x i8] zeroinitializer
@fmt = constant [6 x i8] c"%s %d\00"

declare ptr @strcpy(ptr, ptr)
declare ptr @__strcpy_chk(ptr, ptr, i64)
declare ptr @strcat(ptr, ptr)
declare ptr @strncat(ptr, ptr, i64)
declare ptr @strncpy(ptr, ptr, i64)
declare ptr @memcpy(ptr, ptr, i64)
declare ptr @__memset_chk(ptr, i32, i64, i64)
declare i32 @sprintf(ptr, ptr, ...)
declare i32 @snprintf(ptr, i64, ptr, ...)
declare i32 @__sprintf_chk(ptr, i32, i64, ptr, ...)
declare i32 @vsnprintf(ptr, i64, ptr, ptr)
declare i64 @read(i32, ptr, i64)
declare i64 @fread(ptr, i64, i64, ptr)
declare ptr @fgets(ptr, i32, ptr)
declare ptr @malloc(i64)
declare ptr @calloc(i64, i64)
declare ptr @realloc(ptr, i64)
declare void @free(ptr)
declare ptr @strdup(ptr)
declare ptr @strndup(ptr, i64)
declare i32 @sscanf(ptr, ptr, ...)

; CHECK-LABEL: define void @tx(ptr %d, ptr %s, i64 %n, i32 %k, ptr %f, ptr %ap)
define void @tx(ptr %d, ptr %s, i64 %n, i32 %k, ptr %f, ptr %ap) {
  %own = alloca [32 x i8]
; CHECK:      call void @__heal_undo_log_strcpy(ptr %d, ptr %s)
; CHECK-NEXT: call ptr @strcpy(ptr %d, ptr %s)
; CHECK-NEXT: call void @__heal_undo_log_strcpy(ptr @g, ptr %s)
; CHECK-NEXT: call ptr @__strcpy_chk(ptr @g, ptr %s, i64 64)
; CHECK-NEXT: call ptr @strcpy(ptr %own, ptr %s)
  call ptr @strcpy(ptr %d, ptr %s)
  call ptr @__strcpy_chk(ptr @g, ptr %s, i64 64)
  call ptr @strcpy(ptr %own, ptr %s)
; CHECK-NEXT: call void @__heal_undo_log_strcat(ptr %d, ptr %s, i64 -1)
; CHECK-NEXT: call ptr @strcat(ptr %d, ptr %s)
; CHECK-NEXT: call void @__heal_undo_log_strcat(ptr %d, ptr %s, i64 %n)
; CHECK-NEXT: call ptr @strncat(ptr %d, ptr %s, i64 %n)
; CHECK-NEXT: call void @__heal_undo_log(ptr %d, i64 %n)
; CHECK-NEXT: call ptr @strncpy(ptr %d, ptr %s, i64 %n)
; CHECK-NEXT: call void @__heal_undo_log(ptr %d, i64 %n)
; CHECK-NEXT: call ptr @memcpy(ptr %d, ptr %s, i64 %n)
; CHECK-NEXT: call void @__heal_undo_log(ptr @g, i64 %n)
; CHECK-NEXT: call ptr @__memset_chk(ptr @g, i32 0, i64 %n, i64 64)
  call ptr @strcat(ptr %d, ptr %s)
  call ptr @strncat(ptr %d, ptr %s, i64 %n)
  call ptr @strncpy(ptr %d, ptr %s, i64 %n)
  call ptr @memcpy(ptr %d, ptr %s, i64 %n)
  call ptr @__memset_chk(ptr @g, i32 0, i64 %n, i64 64)
; sprintf & co.: the helper formats once more (same arguments) for the length.
; CHECK-NEXT: call void (ptr, i64, ptr, ...) @__heal_undo_log_printf(ptr %d, i64 -1, ptr @fmt, ptr %s, i32 %k)
; CHECK-NEXT: call i32 (ptr, ptr, ...) @sprintf(ptr %d, ptr @fmt, ptr %s, i32 %k)
; CHECK-NEXT: call void (ptr, i64, ptr, ...) @__heal_undo_log_printf(ptr %d, i64 %n, ptr @fmt, ptr %s, i32 %k)
; CHECK-NEXT: call i32 (ptr, i64, ptr, ...) @snprintf(ptr %d, i64 %n, ptr @fmt, ptr %s, i32 %k)
; CHECK-NEXT: call void (ptr, i64, ptr, ...) @__heal_undo_log_printf(ptr @g, i64 -1, ptr @fmt, ptr %s)
; CHECK-NEXT: call i32 (ptr, i32, i64, ptr, ...) @__sprintf_chk(ptr @g, i32 1, i64 64, ptr @fmt, ptr %s)
; CHECK-NEXT: call void @__heal_undo_log_vprintf(ptr %d, i64 %n, ptr @fmt, ptr %ap)
; CHECK-NEXT: call i32 @vsnprintf(ptr %d, i64 %n, ptr @fmt, ptr %ap)
  call i32 (ptr, ptr, ...) @sprintf(ptr %d, ptr @fmt, ptr %s, i32 %k)
  call i32 (ptr, i64, ptr, ...) @snprintf(ptr %d, i64 %n, ptr @fmt, ptr %s, i32 %k)
  call i32 (ptr, i32, i64, ptr, ...) @__sprintf_chk(ptr @g, i32 1, i64 64, ptr @fmt, ptr %s)
  call i32 @vsnprintf(ptr %d, i64 %n, ptr @fmt, ptr %ap)
; Reads: the requested size (fread: size * count; fgets: its int size, 0 if negative).
; CHECK-NEXT: call void @__heal_undo_log(ptr %d, i64 %n)
; CHECK-NEXT: call i64 @read(i32 %k, ptr %d, i64 %n)
; CHECK-NEXT: %[[M:[0-9]+]] = mul i64 4, %n
; CHECK-NEXT: call void @__heal_undo_log(ptr %d, i64 %[[M]])
; CHECK-NEXT: call i64 @fread(ptr %d, i64 4, i64 %n, ptr %f)
; CHECK-NEXT: %[[P:[0-9]+]] = icmp sgt i32 %k, 0
; CHECK-NEXT: %[[E:[0-9]+]] = sext i32 %k to i64
; CHECK-NEXT: %[[S:[0-9]+]] = select i1 %[[P]], i64 %[[E]], i64 0
; CHECK-NEXT: call void @__heal_undo_log(ptr @g, i64 %[[S]])
; CHECK-NEXT: call ptr @fgets(ptr @g, i32 %k, ptr %f)
  call i64 @read(i32 %k, ptr %d, i64 %n)
  call i64 @fread(ptr %d, i64 4, i64 %n, ptr %f)
  call ptr @fgets(ptr @g, i32 %k, ptr %f)
; Allocation.
; CHECK-NEXT: %m = call ptr @__heal_tx_malloc(i64 %n)
; CHECK-NEXT: %c = call ptr @__heal_tx_calloc(i64 %n, i64 8)
; CHECK-NEXT: %r = call ptr @__heal_tx_realloc(ptr %m, i64 100)
; CHECK-NEXT: call void @__heal_tx_free(ptr %c)
; CHECK-NEXT: %sd = call ptr @__heal_tx_strdup(ptr %s)
; CHECK-NEXT: %snd = call ptr @__heal_tx_strndup(ptr %s, i64 %n)
  %m = call ptr @malloc(i64 %n)
  %c = call ptr @calloc(i64 %n, i64 8)
  %r = call ptr @realloc(ptr %m, i64 100)
  call void @free(ptr %c)
  %sd = call ptr @strdup(ptr %s)
  %snd = call ptr @strndup(ptr %s, i64 %n)
; Writes into blocks allocated here need no log (an abort frees them); a pointer read
; from such a block is another matter.
; CHECK-NEXT: store i64 1, ptr %m
; CHECK-NEXT: %rf = getelementptr i8, ptr %r, i64 8
; CHECK-NEXT: store i32 2, ptr %rf
; CHECK-NEXT: call ptr @strcpy(ptr %sd, ptr %s)
; CHECK-NEXT: %link = load ptr, ptr %c
; CHECK-NEXT: %heal.undo.old = load i64, ptr %link
  store i64 1, ptr %m
  %rf = getelementptr i8, ptr %r, i64 8
  store i32 2, ptr %rf
  call ptr @strcpy(ptr %sd, ptr %s)
  %link = load ptr, ptr %c
  store i64 3, ptr %link
; Not known: left alone (docs/rollback.md).
; CHECK:      store i64 3, ptr %link
; CHECK-NEXT: call i32 (ptr, ptr, ...) @sscanf(ptr %s, ptr @fmt, ptr %d)
; CHECK-NEXT: ret void
  call i32 (ptr, ptr, ...) @sscanf(ptr %s, ptr @fmt, ptr %d)
  ret void
}

; Outside transactional code nothing changes.
; CHECK-LABEL: define void @other(ptr %d, ptr %s)
; CHECK-NEXT:   call ptr @strcpy(ptr %d, ptr %s)
; CHECK-NEXT:   call ptr @malloc(i64 1)
define void @other(ptr %d, ptr %s) {
  call ptr @strcpy(ptr %d, ptr %s)
  call ptr @malloc(i64 1)
  ret void
}
