/*
 * isolation_attacker: a component that tries everything it can against
 * the capabilities it was not given, its quota, core and the kernel (see
 * tests/isolation/README.md), driven by a random-number generator seeded
 * from its start arguments ("seed=N"). It counts every outcome that is
 * not the one isolation demands, prints a summary and exits with that
 * count (0: everything was refused or stayed inside itself).
 */
#include <argil/args.h>
#include <argil/component.h>
#include <argil/cpu.h>
#include <argil/cthread.h>
#include <argil/heap.h>
#include <argil/kernel.h>
#include <argil/log.h>
#include <argil/parent.h>
#include <argil/pd.h>
#include <argil/printf.h>
#include <argil/rom.h>
#include <argil/slot.h>
#include <argil/string.h>
#include <argil/thread.h>
#include <arch/syscall.h>

static struct component_env *env;
static word_t rng;
static int bad;
static cptr_t fntfn;          /* our own fault handler: signalled on our faults and thread exits */
static word_t ncpus = 1;      /* CPUs of our CPU session */

static word_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

#define BAD(...)                                     \
	do {                                         \
		bad++;                               \
		printf("attacker: BAD: " __VA_ARGS__); \
		printf("\n");                        \
	} while (0)

/* A capability address somewhere: small slots, slots of the whole CNode,
 * past it, or any 64-bit value. */
static cptr_t rnd_cptr(void)
{
	switch (rnd() % 4) {
	case 0: return rnd() % 32;
	case 1: return rnd() % 4096;
	case 2: return 4096 + rnd() % 100000;
	default: return rnd();
	}
}

static word_t rnd_word(void)
{
	static const word_t special[] = { 0, 1, 4096, 0x400000, 0x7fffffffffff, 0x800000000000,
					  0xffff800000000000, ~0ul, 1ul << 63, 0x10000000 };
	return rnd() & 1 ? special[rnd() % 10] : rnd() >> (rnd() % 64);
}

/* ---- 1. capabilities it was not given ---- */

static void guess_slots(void)
{
	struct rpc_msg m;
	word_t filled = 0;

	for (cptr_t c = 0; c < 4096; c++) {
		word_t t = sys_debug_cap_type(c);
		if (t)
			filled++;
		if (c >= COMPONENT_FIRST_FREE && t == 0) {
			rpc_init(&m, PD_QUOTA);
			if (rpc_call(c, &m) != RPC_E_INVALID_CAP)
				BAD("empty slot %lu answered", c);
		}
	}
	/* cptrs beyond the CNode and with garbage guard bits */
	for (int i = 0; i < 2000; i++) {
		cptr_t c = 4096 + rnd() % (1ul << 40);
		if (rnd() & 1)
			c = rnd() | (1ul << 63);
		if (sys_debug_cap_type(c))
			BAD("cptr 0x%lx resolves", c);
		rpc_init(&m, rnd() % 16);
		if (rpc_call(c, &m) != RPC_E_INVALID_CAP)
			BAD("cptr 0x%lx could be called", c);
	}
	printf("attacker: slots: %lu of 4096 filled, none answered that should not\n", filled);
}

/* Badges: a badged capability cannot be given another badge; a copy of
 * the PD capability stays the same PD. */
static void forge_badges(void)
{
	cptr_t s = cap_slot_alloc();
	struct pd_quota q0, q1;
	const cptr_t badged[] = { COMPONENT_PARENT, COMPONENT_PD, COMPONENT_CPU, env->log };

	pd_quota(env->pd, &q0);
	for (int i = 0; i < 200; i++) {
		cptr_t src = badged[rnd() % 4];
		word_t badge = rnd() & ((1ul << 62) - 1);
		abi_error_t e = cnode_mint(COMPONENT_CNODE, s, 64, COMPONENT_CNODE, src, 64, RIGHTS_ALL,
					   badge ? badge : 1);
		if (e == E_OK) {
			BAD("re-badging slot %lu gave %d", src, e);
			cnode_delete(COMPONENT_CNODE, s, 64);
		}
	}
	/* badge 0 keeps the badge: the copy is the same object */
	if (cnode_mint(COMPONENT_CNODE, s, 64, COMPONENT_CNODE, COMPONENT_PD, 64, RIGHTS_ALL, 0) != E_OK ||
	    pd_quota(s, &q1) != RPC_OK || q1.ram_quota != q0.ram_quota || q1.cap_used != q0.cap_used)
		BAD("a copy of our PD capability is not our PD");
	cnode_delete(COMPONENT_CNODE, s, 64);
	/* our own endpoint with any badge reaches only us: core does not answer it */
	for (int i = 0; i < 50; i++) {
		word_t badge = rnd() & ((1ul << 61) - 1);
		if (cnode_mint(COMPONENT_CNODE, s, 64, COMPONENT_CNODE, COMPONENT_MAIN_EP, 64, RIGHTS_ALL,
			       badge | 1) != E_OK) {
			BAD("minting our own endpoint failed");
			break;
		}
		struct sys_msg m = { 0 };
		m.info = mi_make(PD_QUOTA, 0, 0, 0);
		sys_raw(SYS_NBSEND, s, &m);   /* nobody receives: dropped */
		cnode_delete(COMPONENT_CNODE, s, 64);
	}
	cap_slot_free(s);
	printf("attacker: badges: 200 re-badgings refused, a copy of our PD is our PD, 50 sends through our own "
	       "endpoint re-badged reached nobody\n");
}

/* Object handles: through a PD of our own that holds no endpoint or
 * notification, freeing any handle must be NOT_FOUND (the neighbour's
 * notifications have handles too, and so do ours). */
static void guess_handles(void)
{
	word_t id, h, mine = 0;
	cptr_t pd, ours_slot = cap_slot_alloc();
	int freed = 0;

	if (parent_session(env->parent, "PD", "empty", "cnode_bits=6", 64 * 1024, 8, 0, &pd, &id) != RPC_OK) {
		BAD("no PD session of our own");
		return;
	}
	if (pd_alloc_ntfn(env->pd, ours_slot, &mine) != RPC_OK)
		BAD("no notification");
	for (word_t i = 0; i < 30000; i++) {
		h = i < 20000 ? i : rnd_word();
		rpc_status_t st = pd_free_obj(pd, h);
		if (st == RPC_OK) {
			freed++;
			BAD("freed handle 0x%lx through an empty PD", h);
		} else if (st != RPC_E_NOT_FOUND) {
			BAD("freeing handle 0x%lx: %s", h, rpc_status_name(st));
		}
	}
	if (pd_free_obj(pd, mine) != RPC_E_NOT_FOUND)
		BAD("our handle freed through another PD");
	if (pd_free_obj(env->pd, mine) != RPC_OK)
		BAD("our own handle could not be freed");
	if (sys_debug_cap_type(ours_slot) != 0)
		BAD("a freed notification stays");
	cap_slot_free(ours_slot);
	if (parent_close(env->parent, id) != RPC_OK)
		BAD("closing our PD session");
	cap_slot_free(pd);
	printf("attacker: handles: 30000 guessed, %d freed\n", freed);
}

/* ---- 2. core with bad capabilities and arguments ---- */

/* Requests that would only hurt ourselves in a way that stops the test
 * (detaching our image, destroying or stopping our main thread, exiting
 * or closing sessions at the parent) are not sent. */
static int self_destructive(cptr_t c, word_t label)
{
	if (c == COMPONENT_PARENT)
		return label == PARENT_EXIT || label == PARENT_CLOSE || label == PARENT_UPGRADE;
	if (c == COMPONENT_PD)   /* and objects at random slots the slot allocator may hand out */
		return label == PD_DETACH || label == PD_FREE_RAM || label == PD_FREE_OBJ ||
		       label == PD_TRANSFER || label == PD_ALLOC_EP || label == PD_ALLOC_NTFN;
	if (c == COMPONENT_INSTALL_FIRST)
		return label == THREAD_PAUSE || label == THREAD_DESTROY || label == THREAD_SET_PRIORITY ||
		       label == THREAD_START;
	return 0;
}

static void fuzz_core(int n)
{
	static const cptr_t targets[] = { COMPONENT_PARENT, COMPONENT_PD, COMPONENT_CPU,
					  COMPONENT_INSTALL_FIRST };
	static int seen[RPC_E_COUNT + 1];
	struct rpc_msg m;
	struct pd_quota q0, q1;
	cptr_t rom_cap, rom_ds;
	word_t rom_id, rom_size;
	int sent = 0;

	if (parent_session(env->parent, "ROM", "core_test_helper", "", ROM_SESSION_RAM, ROM_SESSION_CAPS, 0,
			   &rom_cap, &rom_id) != RPC_OK ||
	    rom_dataspace(rom_cap, &rom_ds, &rom_size) != RPC_OK) {
		BAD("no ROM session");
		return;
	}
	pd_quota(env->pd, &q0);
	for (int i = 0; i < n; i++) {
		cptr_t c;
		switch (rnd() % 7) {
		case 0: c = env->log; break;
		case 1: c = rom_cap; break;
		case 2: c = rom_ds; break;
		default: c = targets[rnd() % 4];
		}
		/* half of the time an opcode the object has, so that its
		 * argument checks get the garbage */
		word_t label;
		if (rnd() % 2) {
			if (c == COMPONENT_PD)
				label = 1 + rnd() % 13;
			else if (c == COMPONENT_CPU)
				label = 1 + rnd() % 2;
			else if (c == COMPONENT_INSTALL_FIRST)
				label = THREAD_START + rnd() % 7;
			else if (c == COMPONENT_PARENT)
				label = 1 + rnd() % 12;
			else if (c == rom_cap)
				label = 1 + rnd() % 3;
			else if (c == rom_ds)
				label = DS_INFO;
			else
				label = 1;
		} else {
			label = rnd() % 4 ? rnd() % 24 : (rnd() & 1 ? 64 + rnd() % 8 : rnd());
		}
		if (self_destructive(c, label))
			continue;
		sent++;
		rpc_init(&m, label);
		word_t len = rnd() % 10;
		for (word_t k = 0; k < len; k++)
			rpc_put(&m, rnd_word());
		if (c == COMPONENT_CPU && label == CPU_CREATE_THREAD && len > 2)
			m.w[2] = 0;   /* no notification at a random slot of ours */
		if (rnd() % 3 == 0)
			m.cap = rnd() % 2 ? rnd_cptr() : targets[rnd() % 4];
		rpc_status_t st = rpc_call(c, &m);
		seen[st < RPC_E_COUNT ? st : RPC_E_COUNT]++;
		if (st == RPC_OK && m.cap_kind == RPC_CAP_PLACED)
			cap_slot_free(m.cap);   /* e.g. a dataspace we got: dropping our cap is enough */
	}
	/* what the fuzzing made (dataspaces, attachments, threads, handles) is
	 * ours; our account may have grown, never past the quota */
	pd_quota(env->pd, &q1);
	if (q1.ram_quota != q0.ram_quota || q1.cap_quota != q0.cap_quota || q1.ram_used > q1.ram_quota ||
	    q1.cap_used > q1.cap_quota)
		BAD("account after fuzzing: %lu/%lu bytes, %lu/%lu caps", q1.ram_used, q1.ram_quota, q1.cap_used,
		    q1.cap_quota);
	if (parent_close(env->parent, rom_id) != RPC_OK)
		BAD("closing the ROM session");
	cap_slot_free(rom_cap);
	cap_slot_free(rom_ds);
	char line[400];
	int pos = snprintf(line, sizeof(line), "attacker: %d calls at core and the parent (%d drawn):", sent, n);
	for (int k = 0; k <= RPC_E_COUNT && pos < (int)sizeof(line); k++)
		if (seen[k])
			pos += snprintf(line + pos, sizeof(line) - (size_t)pos, " %s %d",
					k < RPC_E_COUNT ? rpc_status_name((rpc_status_t)k) : "other", seen[k]);
	printf("%s\n", line);
}

/* Sessions it must not get, and quota it does not have. */
static void bad_sessions(void)
{
	static const struct { const char *service, *args; word_t ram, caps; rpc_status_t want; } cases[] = {
		{ "PD", "priority=255", 400 * 1024, 8, RPC_E_DENIED },
		{ "PD", "cnode_bits=99", 400 * 1024, 8, RPC_E_INVALID_ARGUMENT },
		{ "CPU", "priority=254", 64 * 1024, 8, RPC_E_DENIED },
		{ "CPU", "cpu_first=77", 64 * 1024, 8, RPC_E_INVALID_ARGUMENT },
		{ "IO_PORT", "base=0x3f8, size=8", 8192, 4, RPC_E_DENIED },
		{ "IO_MEM", "base=0xfed00000, size=4096", 8192, 4, RPC_E_DENIED },
		{ "IRQ", "gsi=4", 8192, 4, RPC_E_DENIED },
		{ "LOG", "", 1ul << 40, 2, RPC_E_NO_RAM_QUOTA },
		{ "LOG", "", 8192, 1ul << 30, RPC_E_NO_CAP_QUOTA },
	};
	cptr_t s;
	word_t id;

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rpc_status_t st = parent_session(env->parent, cases[i].service, "x", cases[i].args, cases[i].ram,
						 cases[i].caps, 0, &s, &id);
		if (st != cases[i].want)
			BAD("session %s '%s': %s, want %s", cases[i].service, cases[i].args, rpc_status_name(st),
			    rpc_status_name(cases[i].want));
		if (st == RPC_OK) {
			parent_close(env->parent, id);
			cap_slot_free(s);
		}
	}
	if (parent_session(env->parent, "ROM", "no such rom", "", ROM_SESSION_RAM, ROM_SESSION_CAPS, 0, &s, &id) !=
	    RPC_E_NOT_FOUND)
		BAD("ROM of a module that does not exist");
	if (parent_session(env->parent, "NOPE", "", "", 8192, 2, 0, &s, &id) == RPC_OK)
		BAD("a service nobody offers");
	/* our own PD view may not install into itself; transfers need a PD */
	if (pd_install(env->pd, 9, env->pd) != RPC_E_DENIED || pd_install(env->pd, 1, env->log) != RPC_E_DENIED)
		BAD("installing through our own view");
	if (pd_transfer(env->pd, env->log, 4096, 0) != RPC_E_INVALID_CAP ||
	    pd_transfer(env->pd, COMPONENT_MAIN_EP, 4096, 0) != RPC_E_INVALID_CAP)
		BAD("transfer to something that is not a PD");
	if (pd_transfer(env->pd, env->pd, 1ul << 40, 0) != RPC_E_NO_RAM_QUOTA)
		BAD("transfer of quota we do not have");
	/* the address space: kernel half, non-canonical, last page, UTCB */
	cptr_t ds;
	word_t a;
	if (pd_alloc_ram(env->pd, 4096, &ds) != RPC_OK) {
		BAD("no RAM");
		return;
	}
	const word_t addrs[] = { 0xffff800000000000, 0x800000000000, 0x7ffffffff000, 0, 0x400000 };
	for (int i = 0; i < 5; i++)
		if (pd_attach(env->pd, ds, addrs[i], 0, 0, ATTACH_FIXED | ATTACH_WRITE, &a) == RPC_OK)
			BAD("attached at 0x%lx", addrs[i]);
	if (pd_detach(env->pd, env->info->main_window) != RPC_E_NOT_FOUND)
		BAD("detached our UTCB");
	pd_free_ram(env->pd, ds);
	cap_slot_free(ds);
}

/* ---- 3. quota: spend until refused, then give everything back ---- */

static void nop(void *arg)
{
	(void)arg;
}

#define MAX_SPEND 512

/* With check, our account must be back where it was afterwards. (Core
 * keeps an account's CSpace leaves once made, until the account goes: so
 * the first spending may leave a leaf or two charged, and the check is
 * made from the second run on; after the fuzzing, which leaves objects
 * of ours at core, a run may need a further leaf, so it is not checked.) */
static void exhaust(int check)
{
	static cptr_t dss[MAX_SPEND], eps[MAX_SPEND];
	static word_t handles[MAX_SPEND];
	static struct cthread th[MAX_SPEND];
	struct pd_quota q0, q1;
	int nd = 0, ne = 0, nt = 0;
	rpc_status_t st = RPC_OK;

	pd_quota(env->pd, &q0);
	while (nd < MAX_SPEND && (st = pd_alloc_ram(env->pd, 16 * 4096, &dss[nd])) == RPC_OK)
		nd++;
	if (nd == MAX_SPEND || (st != RPC_E_NO_RAM_QUOTA && st != RPC_E_NO_CAP_QUOTA))
		BAD("RAM: %d dataspaces, then %s", nd, rpc_status_name(st));
	while (nd > 0) {
		pd_free_ram(env->pd, dss[--nd]);
		cap_slot_free(dss[nd]);
	}
	while (ne < MAX_SPEND) {
		eps[ne] = cap_slot_alloc();
		if (!eps[ne] || (st = pd_alloc_ep(env->pd, eps[ne], &handles[ne])) != RPC_OK)
			break;
		ne++;
	}
	if (ne < MAX_SPEND && eps[ne])
		cap_slot_free(eps[ne]);
	if (ne == MAX_SPEND || (st != RPC_E_NO_CAP_QUOTA && st != RPC_E_NO_RAM_QUOTA))
		BAD("endpoints: %d, then %s", ne, rpc_status_name(st));
	int neps = ne;
	while (ne > 0) {
		ne--;
		if (pd_free_obj(env->pd, handles[ne]) != RPC_OK)
			BAD("freeing our endpoint");
		cap_slot_free(eps[ne]);
	}
	while (nt < MAX_SPEND && (st = cthread_create(&th[nt], nop, 0, 1, 0, 4096, 0)) == RPC_OK)
		nt++;
	if (nt == MAX_SPEND)
		BAD("%d threads and no refusal", nt);
	int nthreads = nt;
	while (nt > 0)
		if (cthread_destroy(&th[--nt]) != RPC_OK)
			BAD("destroying our thread");
	pd_quota(env->pd, &q1);
	if (check && (q1.ram_used != q0.ram_used || q1.cap_used != q0.cap_used))
		BAD("account not back: %lu -> %lu bytes, %lu -> %lu caps", q0.ram_used, q1.ram_used, q0.cap_used,
		    q1.cap_used);
	printf("attacker: quota: RAM, endpoints (%d) and threads (%d, then %s) spent until refused, "
	       "given back: %lu -> %lu bytes used\n", neps, nthreads, rpc_status_name(st), q0.ram_used,
	       q1.ram_used);
}

/* ---- 4. faults, bad instructions, bad system calls ---- */

word_t iso_ud2(word_t), iso_int3(word_t), iso_hlt(word_t), iso_cli(word_t), iso_in(word_t), iso_out(word_t),
	iso_wrmsr(word_t), iso_rdmsr(word_t), iso_div0(word_t), iso_int80(word_t), iso_int20(word_t),
	iso_intfe(word_t), iso_movcr3(word_t), iso_lgdt(word_t), iso_iretq(word_t), iso_movaps(word_t),
	iso_badstack(word_t), iso_syscall(word_t), iso_jump(word_t), iso_read(word_t), iso_write(word_t),
	iso_halt(word_t), iso_invlpg(word_t), iso_swapgs(word_t);

__asm__(".text\n"
	"iso_ud2: ud2\n"
	"iso_int3: int3\n ud2\n"
	"iso_hlt: hlt\n ud2\n"
	"iso_cli: cli\n ud2\n"
	"iso_in: mov $0x3f8, %edx\n in %dx, %al\n ud2\n"
	"iso_out: mov $0x3f8, %edx\n mov $0x41, %al\n out %al, %dx\n ud2\n"
	"iso_wrmsr: mov $0xc0000082, %ecx\n xor %eax, %eax\n xor %edx, %edx\n wrmsr\n ud2\n"
	"iso_rdmsr: mov $0x1b, %ecx\n rdmsr\n ud2\n"
	"iso_div0: xor %ecx, %ecx\n mov $1, %eax\n xor %edx, %edx\n div %rcx\n ud2\n"
	"iso_int80: int $0x80\n ud2\n"
	"iso_int20: int $0x20\n ud2\n"
	"iso_intfe: int $0xfe\n ud2\n"
	"iso_movcr3: mov %rdi, %cr3\n ud2\n"
	"iso_lgdt: lgdt (%rsp)\n ud2\n"
	"iso_invlpg: invlpg (%rdi)\n ud2\n"
	"iso_swapgs: swapgs\n ud2\n"
	"iso_iretq: push %rdi\n push %rdi\n push %rdi\n push %rdi\n push %rdi\n iretq\n ud2\n"
	"iso_movaps: sub $8, %rsp\n movaps (%rsp), %xmm0\n ud2\n"
	"iso_badstack: mov %rdi, %rsp\n push %rax\n ud2\n"
	/* a system call with a number from rdi, all registers from the generator */
	"iso_syscall: mov %rdi, %rax\n mov %rsi, %rdi\n mov %rdx, %rsi\n mov %rcx, %rdx\n"
	"  mov %r8, %r10\n mov %r9, %r8\n syscall\n ud2\n"
	"iso_halt: mov $11, %eax\n xor %edi, %edi\n syscall\n ud2\n"
	"iso_jump: jmp *%rdi\n"
	"iso_read: mov (%rdi), %rax\n ud2\n"
	"iso_write: movq $1, (%rdi)\n ud2\n");

struct fault_kind {
	const char *name;
	word_t (*fn)(word_t);
	int arg;   /* 0: none, 1: an address that is not ours, 2: syscall registers */
};

static const struct fault_kind kinds[] = {
	{ "ud2", iso_ud2, 0 }, { "int3", iso_int3, 0 }, { "hlt", iso_hlt, 0 }, { "cli", iso_cli, 0 },
	{ "in", iso_in, 0 }, { "out", iso_out, 0 }, { "wrmsr", iso_wrmsr, 0 }, { "rdmsr", iso_rdmsr, 0 },
	{ "div0", iso_div0, 0 }, { "int 0x80", iso_int80, 0 }, { "int 0x20", iso_int20, 0 },
	{ "int 0xfe", iso_intfe, 0 }, { "mov cr3", iso_movcr3, 1 }, { "lgdt", iso_lgdt, 0 },
	{ "invlpg", iso_invlpg, 1 }, { "swapgs", iso_swapgs, 0 }, { "iretq", iso_iretq, 1 },
	{ "movaps", iso_movaps, 0 }, { "bad stack", iso_badstack, 1 }, { "syscall", iso_syscall, 2 },
	{ "debug halt", iso_halt, 0 }, { "jump", iso_jump, 1 }, { "read", iso_read, 1 },
	{ "write", iso_write, 1 },
};
#define NKINDS (int)(sizeof(kinds) / sizeof(kinds[0]))

/* An address that is not mapped in our address space: kernel half,
 * non-canonical, below the image, or a random user address without a
 * region. */
static word_t foreign_addr(void)
{
	word_t s, z, f, o;

	for (;;) {
		word_t a;
		switch (rnd() % 4) {
		case 0: a = 0xffff800000000000ul | (rnd() & 0x7fffffffffff); break;
		case 1: a = 0x0000800000000000ul + (rnd() % 0xffff000000000000ul); break;
		case 2: a = rnd() % 0x400000; break;
		default: a = rnd() & 0x7fffffffffff; break;
		}
		if (a >= 0x800000000000ul || pd_region(env->pd, a, &s, &z, &f, &o) == RPC_E_NOT_FOUND)
			return a;
	}
}

static struct cthread ft;
static word_t ft_args[6];

static void fault_body(void *arg)
{
	const struct fault_kind *k = arg;
	register word_t a1 __asm__("rsi") = ft_args[1];
	register word_t a2 __asm__("rdx") = ft_args[2];
	register word_t a3 __asm__("rcx") = ft_args[3];
	register word_t a4 __asm__("r8") = ft_args[4];
	register word_t a5 __asm__("r9") = ft_args[5];
	register word_t a0 __asm__("rdi") = ft_args[0];
	register void *fn __asm__("r11") = (void *)k->fn;

	__asm__ volatile("call *%%r11" : : "r"(a0), "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(fn)
			 : "memory", "rax", "r10");
}

/* Run one faulting thing on a fresh thread; it must stop on a fault (and
 * only a system call that blocks may leave it waiting: then it is
 * destroyed). Returns the fault label. */
static word_t fault_once(int kind, word_t *stats)
{
	const struct fault_kind *k = &kinds[kind];
	struct thread_state_info st;

	ft_args[0] = k->arg == 1 ? foreign_addr() : 0;
	if (k->arg == 2) {
		/* a system call number from 12 up (unknown), or 11 (halt), or a
		 * known one on a random capability with random words */
		word_t r = rnd() % 4;
		ft_args[0] = r == 0 ? 12 + rnd() % 1000 : r == 1 ? rnd() | 16 : r == 2 ? 11 : 1 + rnd() % 10;
		ft_args[1] = rnd_cptr();
		for (int i = 2; i < 6; i++)
			ft_args[i] = rnd_word();
		if (ft_args[0] == SYS_DEBUG_PUTCHAR)
			ft_args[1] = '.';
		if (ft_args[1] == COMPONENT_CNODE)   /* CNode operations on our own slots: not here */
			ft_args[1] = 7;
	}
	if (cthread_create(&ft, fault_body, (void *)k, env->info->priority, rnd() % ncpus, 8192, 0) != RPC_OK) {
		BAD("no thread for %s", k->name);
		return ~0ul;
	}
	((struct thread_info *)ft.window)->exit_ntfn = fntfn;
	for (;;) {
		if (thread_state(ft.cap, &st) != RPC_OK) {
			BAD("state of our thread");
			break;
		}
		if (st.state == THREAD_FAULTED)
			break;
		if (k->arg == 2 && ft_args[0] <= 10) {
			/* a known system call: it may block for good (a Recv on our
			 * own endpoint), return, or fault; don't wait for it */
			thread_pause(ft.cap);
			thread_state(ft.cap, &st);
			break;
		}
		if (cthread_exited(&ft)) {
			BAD("%s (0x%lx) did not fault", k->name, ft_args[0]);
			break;
		}
		sys_wait(fntfn);
	}
	if (st.state == THREAD_FAULTED && st.fault_label < 8)
		stats[st.fault_label]++;
	if (k->fn == iso_halt && st.fault_label != FAULT_UNKNOWN_SYSCALL)
		BAD("SYS_DEBUG_HALT: fault %lu, want an unknown system call", st.fault_label);
	if (cthread_destroy(&ft) != RPC_OK)
		BAD("destroying the faulted thread");
	return st.state == THREAD_FAULTED ? st.fault_label : ~0ul;
}

static void faults(int n)
{
	word_t stats[8] = { 0 };

	for (int i = 0; i < NKINDS; i++)   /* each kind once */
		fault_once(i, stats);
	for (int i = 0; i < n; i++)
		fault_once((int)(rnd() % NKINDS), stats);
	printf("attacker: %d faults: page %lu, exception %lu, unknown syscall %lu, other %lu\n", n + NKINDS,
	       stats[FAULT_PAGE], stats[FAULT_EXCEPTION], stats[FAULT_UNKNOWN_SYSCALL],
	       stats[0] + stats[4] + stats[5] + stats[6] + stats[7]);
}

/* Random bytes executed on threads of their own (in a page far from
 * everything else, registers cleared, their own stack page): they fault,
 * loop or block; after a while all of them are destroyed. */
#define RAND_CODE 0x500000000000ul
#define RAND_THREADS 3   /* our CPU session pays for about six threads */

__asm__(".text\n"
	"iso_rand_entry: mov %rdi, %rsp\n add $0x1000, %rsp\n jmp iso_rand_clear\n"
	"iso_rand_clear: mov %rsi, %r11\n xor %eax, %eax\n xor %ebx, %ebx\n xor %ecx, %ecx\n"
	"  xor %edx, %edx\n xor %esi, %esi\n xor %edi, %edi\n xor %ebp, %ebp\n xor %r8d, %r8d\n"
	"  xor %r9d, %r9d\n xor %r10d, %r10d\n xor %r12d, %r12d\n xor %r13d, %r13d\n"
	"  xor %r14d, %r14d\n xor %r15d, %r15d\n jmp *%r11\n");
void iso_rand_entry(word_t stack, word_t code);

static struct cthread rt[RAND_THREADS];
static word_t rt_arg[RAND_THREADS][2];

static void rand_body(void *arg)
{
	word_t *a = arg;
	iso_rand_entry(a[0], a[1]);
}

static void random_code(int rounds)
{
	cptr_t code_ds, stack_ds;
	word_t a, faulted = 0, running = 0;
	struct thread_state_info st;

	if (pd_alloc_ram(env->pd, 4096 * RAND_THREADS, &code_ds) != RPC_OK ||
	    pd_alloc_ram(env->pd, 4096 * RAND_THREADS, &stack_ds) != RPC_OK ||
	    pd_attach(env->pd, code_ds, RAND_CODE, 0, 0, ATTACH_FIXED | ATTACH_WRITE | ATTACH_EXEC, &a) != RPC_OK ||
	    pd_attach(env->pd, stack_ds, RAND_CODE + 0x100000, 0, 0, ATTACH_FIXED | ATTACH_WRITE, &a) != RPC_OK) {
		BAD("no pages for random code");
		return;
	}
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < RAND_THREADS; i++) {
			unsigned char *p = (unsigned char *)(RAND_CODE + (word_t)i * 4096);
			for (int b = 0; b < 4096; b++)
				p[b] = (unsigned char)(b < 256 ? rnd() : b & 1 ? 0x0b : 0x0f);   /* then ud2s */
			rt_arg[i][0] = RAND_CODE + 0x100000 + (word_t)i * 4096;
			rt_arg[i][1] = RAND_CODE + (word_t)i * 4096 + rnd() % 64;
			if (cthread_create(&rt[i], rand_body, rt_arg[i], env->info->priority, (word_t)i % ncpus, 8192,
					   0) != RPC_OK) {
				BAD("no thread for random code");
				rt[i].cap = 0;
			}
		}
		/* let them run (they have our priority): a few turns; whether
		 * each faulted, loops or blocks by then, it is destroyed, and
		 * nothing below depends on which */
		for (int turn = 0; turn < 4; turn++) {
			int done = 0;
			for (int i = 0; i < RAND_THREADS; i++)
				if (rt[i].cap && thread_state(rt[i].cap, &st) == RPC_OK && st.state == THREAD_FAULTED)
					done++;
			if (done == RAND_THREADS)
				break;
			sys_yield();
		}
		for (int i = 0; i < RAND_THREADS; i++) {
			if (!rt[i].cap)
				continue;
			if (thread_state(rt[i].cap, &st) == RPC_OK && st.state == THREAD_FAULTED)
				faulted++;
			else
				running++;
			if (cthread_destroy(&rt[i]) != RPC_OK)
				BAD("destroying a random-code thread");
		}
		sys_poll(fntfn);
	}
	pd_detach(env->pd, RAND_CODE);
	pd_detach(env->pd, RAND_CODE + 0x100000);
	pd_free_ram(env->pd, code_ds);
	pd_free_ram(env->pd, stack_ds);
	cap_slot_free(code_ds);
	cap_slot_free(stack_ds);
	printf("attacker: random code: %d threads, %lu faulted, %lu still running or blocked when destroyed\n",
	       rounds * RAND_THREADS, faulted, running);
}

/* Non-blocking system calls from this thread on random capabilities with
 * random words (sends to the parent may not carry PARENT_EXIT). */
static void random_syscalls(int n)
{
	static const word_t nrs[] = { SYS_NBSEND, SYS_NBRECV, SYS_YIELD, SYS_DEBUG_CAP_TYPE, SYS_REPLY };

	for (int i = 0; i < n; i++) {
		struct sys_msg m;
		cptr_t c = rnd_cptr();
		word_t nr = nrs[rnd() % 5];
		memset(&m, 0, sizeof(m));
		if (c == COMPONENT_CNODE)   /* CNode operations on our own slots: not here */
			c = 7;
		m.info = rnd();
		for (int k = 0; k < 4; k++)
			m.mr[k] = rnd_word();
		if (c == COMPONENT_PARENT || mi_label(m.info) == PARENT_EXIT)
			m.info = mi_make(PARENT_HEARTBEAT_RESPONSE, 0, 0, 0);
		sys_raw(nr, c, &m);
	}
	printf("attacker: %d random non-blocking system calls\n", n);
}

void component_construct(struct component_env *e)
{
	uint64_t seed = 1;
	word_t h;

	env = e;
	args_u64(env->info->args, "seed", 1, &seed);
	rng = seed * 0x9e3779b97f4a7c15ul | 1;
	printf("attacker: seed %lu\n", (word_t)seed);
	fntfn = cap_slot_alloc();
	word_t prio, first, all;
	if (pd_alloc_ntfn(env->pd, fntfn, &h) != RPC_OK || pd_fault_sigh(env->pd, fntfn) != RPC_OK ||
	    cpu_info(env->cpu, &prio, &first, &ncpus, &all) != RPC_OK || !ncpus)
		component_exit(1000);
	guess_slots();
	forge_badges();
	guess_handles();
	bad_sessions();
	exhaust(0);
	exhaust(1);
	random_syscalls(20000);
	faults(300);
	random_code(8);
	fuzz_core(20000);   /* last: what it makes stays ours until we are destroyed */
	exhaust(0);         /* after all that, quota is still refused cleanly */
	printf("attacker: done, %d unexpected outcomes\n", bad);
	component_exit(bad);
}
