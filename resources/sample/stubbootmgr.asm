; PEcast stub bootmgr: a stand-in for Windows' \bootmgr in boot-chain tests.
;
; GRUB's ntldr (and Microsoft's NTFS boot code) load \bootmgr at 2000:0000 and jump to it with
; DL = BIOS drive, the partition boot sector at 0:7C00 and its BPB "hidden sectors" (0:7C1C)
; set to the partition's LBA (docs/bootchain.md). This program reports what it was handed on
; COM1 as ONE line, then halts:
;
;   PECAST-STUB DL=80 HS=00000800 RD=OK A20=1 MEM=0000026E<CR><LF>
;
;   DL   drive byte in DL at entry (hex)
;   HS   dword at 0:7C1C (hex)
;   RD   INT 13h AH=42h read of 1 sector at LBA = HS through DL: OK when it succeeds and the
;        sector carries "NTFS    " at offset 3; BAD when the read worked but the signature
;        is missing; ERxx when the BIOS failed (xx = AH)
;   A20  1 when the A20 line is enabled (no wraparound at 1 MiB), else 0
;   MEM  INT 12h base memory in KiB (hex)
;
; Build: nasm -f bin -o bootmgr stubbootmgr.asm (must stay < 1 KiB).

bits 16
org 0

COM1 equ 0x3F8
SECTOR_BUF equ 0x1000               ; 2000:1000, well past this program, below 64 KiB

start:
    cli
    mov [cs:drive], dl              ; DS is 0 on entry: store through CS
    mov ax, cs
    mov ds, ax
    mov es, ax
    mov ss, ax                      ; stack at 2000:FFF0, away from the sector buffer
    mov sp, 0xFFF0
    sti
    cld

    ; COM1: 115200 8N1, interrupts off (QEMU does not need it, real UARTs do).
    mov dx, COM1 + 1
    xor al, al
    out dx, al
    mov dx, COM1 + 3
    mov al, 0x80                    ; DLAB on
    out dx, al
    mov dx, COM1
    mov al, 1                       ; divisor 1 = 115200 baud
    out dx, al
    inc dx
    xor al, al
    out dx, al
    mov dx, COM1 + 3
    mov al, 3                       ; 8N1, DLAB off
    out dx, al

    ; Hidden sectors from the boot sector GRUB left at 0:7C00.
    push ds
    xor ax, ax
    mov ds, ax
    mov eax, [0x7C1C]
    pop ds
    mov [hidden], eax
    mov [dap_lba], eax

    ; INT 13h extended read of the partition's first sector.
    mov si, dap
    mov dl, [drive]
    mov ah, 0x42
    int 0x13
    jc .read_error
    mov si, ntfs_sig
    mov di, SECTOR_BUF + 3
    mov cx, 8
    repe cmpsb
    jne .read_bad
    mov dword [rd_text], 'OK'        ; 'O', 'K', 0, 0
    jmp .read_done
.read_bad:
    mov dword [rd_text], 'BAD'       ; 'B', 'A', 'D', 0
    jmp .read_done
.read_error:
    mov al, ah
    mov di, rd_text + 2
    call hex_byte_to_text
    mov word [rd_text], 'ER'
.read_done:

    ; A20: does FFFF:0510 alias 0000:0500?
    push ds
    push es
    xor ax, ax
    mov ds, ax
    not ax
    mov es, ax
    mov bl, [0x0500]
    mov bh, [es:0x0510]
    mov byte [0x0500], 0x00
    mov byte [es:0x0510], 0xFF
    mov al, [0x0500]                ; 0xFF when the write wrapped around
    mov [es:0x0510], bh
    mov [0x0500], bl
    pop es
    pop ds
    cmp al, 0xFF
    je .a20_off
    mov byte [a20], '1'
.a20_off:

    int 0x12
    mov [basemem], ax

    ; The report line.
    mov si, msg_head
    call puts
    movzx eax, byte [drive]
    mov cx, 2
    call put_hex
    mov si, msg_hs
    call puts
    mov eax, [hidden]
    mov cx, 8
    call put_hex
    mov si, msg_rd
    call puts
    mov si, rd_text
    call puts
    mov si, msg_a20
    call puts
    mov si, a20
    call puts
    mov si, msg_mem
    call puts
    movzx eax, word [basemem]
    mov cx, 8
    call put_hex
    mov si, msg_crlf
    call puts

halt:
    cli
    hlt
    jmp halt

; puts: DS:SI zero-terminated string to COM1.
puts:
    lodsb
    test al, al
    jz .done
    call putc
    jmp puts
.done:
    ret

; putc: AL to COM1 once the transmit holding register is empty (LSR bit 5).
putc:
    push dx
    push ax
    mov dx, COM1 + 5
.wait:
    in al, dx
    test al, 0x20
    jz .wait
    pop ax
    mov dx, COM1
    out dx, al
    pop dx
    ret

; put_hex: the low CX hex digits of EAX, upper case.
put_hex:
    mov ebx, eax
    mov dx, cx
    shl dx, 2                       ; bits to skip: 32 - 4*CX
    neg dx
    add dx, 32
    push cx
    mov cl, dl
    shl ebx, cl
    pop cx
.digit:
    rol ebx, 4
    mov al, bl
    and al, 0x0F
    call nibble
    call putc
    loop .digit
    ret

; nibble: AL (0..15) -> ASCII hex digit.
nibble:
    add al, '0'
    cmp al, '9'
    jbe .ok
    add al, 'A' - '9' - 1
.ok:
    ret

; hex_byte_to_text: AL as two hex digits at DS:DI.
hex_byte_to_text:
    mov ah, al
    shr al, 4
    call nibble
    mov [di], al
    mov al, ah
    and al, 0x0F
    call nibble
    mov [di + 1], al
    ret

align 4
dap:                                ; INT 13h AH=42h disk address packet
    db 16, 0
    dw 1                            ; sectors
    dw SECTOR_BUF, 0x2000           ; buffer offset, segment
dap_lba:
    dd 0, 0
hidden:   dd 0
basemem:  dw 0
drive:    db 0
a20:      db '0', 0
rd_text:  db '????', 0              ; "OK", "BAD" or "ERxx"
ntfs_sig: db 'NTFS    '
msg_head: db 'PECAST-STUB DL=', 0
msg_hs:   db ' HS=', 0
msg_rd:   db ' RD=', 0
msg_a20:  db ' A20=', 0
msg_mem:  db ' MEM=', 0
msg_crlf: db 13, 10, 0
