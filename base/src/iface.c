/*
 * Client stubs of the parent, root, PD, dataspace, CPU, ROM, LOG and
 * device interfaces (argil/parent.h, root.h, pd.h, cpu.h, rom.h, log.h,
 * io.h): marshal, rpc_call, check the reply's shape, unmarshal.
 */
#include <argil/parent.h>
#include <argil/root.h>
#include <argil/pd.h>
#include <argil/cpu.h>
#include <argil/rom.h>
#include <argil/log.h>
#include <argil/io.h>
#include <argil/string.h>

#define MSG(m, op) struct rpc_msg m; rpc_init(&m, op)

static rpc_status_t simple(cptr_t cap, struct rpc_msg *m)
{
	return rpc_call_expect(cap, m, 0, false);
}

/* ---- parent ---- */

rpc_status_t parent_session(cptr_t parent, const char *service, const char *label,
			    const char *args, word_t ram, word_t caps, cptr_t payer,
			    cptr_t *session, word_t *id)
{
	MSG(m, PARENT_SESSION);
	rpc_put(&m, ram);
	rpc_put(&m, caps);
	if (!rpc_put_str(&m, service) || !rpc_put_str(&m, label) || !rpc_put_str(&m, args))
		return RPC_E_INVALID_ARGUMENT;
	m.cap = payer;
	rpc_status_t st = rpc_call_expect(parent, &m, 1, true);
	if (st == RPC_OK) {
		*session = m.cap;
		if (id)
			*id = m.w[0];
	}
	return st;
}

rpc_status_t parent_upgrade(cptr_t parent, word_t id, word_t ram, word_t caps, cptr_t payer)
{
	MSG(m, PARENT_UPGRADE);
	rpc_put(&m, id);
	rpc_put(&m, ram);
	rpc_put(&m, caps);
	m.cap = payer;
	return simple(parent, &m);
}

rpc_status_t parent_close(cptr_t parent, word_t id)
{
	MSG(m, PARENT_CLOSE);
	rpc_put(&m, id);
	return simple(parent, &m);
}

rpc_status_t parent_announce(cptr_t parent, const char *service, cptr_t root)
{
	MSG(m, PARENT_ANNOUNCE);
	if (!rpc_put_str(&m, service))
		return RPC_E_INVALID_ARGUMENT;
	m.cap = root;
	return simple(parent, &m);
}

rpc_status_t parent_exit(cptr_t parent, word_t value)
{
	MSG(m, PARENT_EXIT);
	rpc_put(&m, value);
	return simple(parent, &m);
}

static rpc_status_t with_cap(cptr_t cap, word_t op, cptr_t arg)
{
	MSG(m, op);
	m.cap = arg;
	return simple(cap, &m);
}

static rpc_status_t no_args(cptr_t cap, word_t op)
{
	MSG(m, op);
	return simple(cap, &m);
}

rpc_status_t parent_heartbeat_sigh(cptr_t parent, cptr_t ntfn)
{
	return with_cap(parent, PARENT_HEARTBEAT_SIGH, ntfn);
}

rpc_status_t parent_heartbeat_response(cptr_t parent)
{
	return no_args(parent, PARENT_HEARTBEAT_RESPONSE);
}

rpc_status_t parent_resource_request(cptr_t parent, word_t ram, word_t caps)
{
	MSG(m, PARENT_RESOURCE_REQUEST);
	rpc_put(&m, ram);
	rpc_put(&m, caps);
	return simple(parent, &m);
}

rpc_status_t parent_resource_avail_sigh(cptr_t parent, cptr_t ntfn)
{
	return with_cap(parent, PARENT_RESOURCE_AVAIL_SIGH, ntfn);
}

rpc_status_t parent_yield_sigh(cptr_t parent, cptr_t ntfn)
{
	return with_cap(parent, PARENT_YIELD_SIGH, ntfn);
}

rpc_status_t parent_yield_request(cptr_t parent, word_t *ram, word_t *caps)
{
	MSG(m, PARENT_YIELD_REQUEST);
	rpc_status_t st = rpc_call_expect(parent, &m, 2, false);
	if (st == RPC_OK) {
		*ram = m.w[0];
		*caps = m.w[1];
	}
	return st;
}

rpc_status_t parent_yield_response(cptr_t parent)
{
	return no_args(parent, PARENT_YIELD_RESPONSE);
}

/* ---- root ---- */

rpc_status_t root_session(cptr_t root, const char *label, const char *args, word_t ram,
			  word_t caps, cptr_t *session, word_t *id)
{
	MSG(m, ROOT_SESSION);
	rpc_put(&m, ram);
	rpc_put(&m, caps);
	if (!rpc_put_str(&m, label) || !rpc_put_str(&m, args))
		return RPC_E_INVALID_ARGUMENT;
	rpc_status_t st = rpc_call_expect(root, &m, 1, true);
	if (st == RPC_OK) {
		*session = m.cap;
		*id = m.w[0];
	}
	return st;
}

rpc_status_t root_upgrade(cptr_t root, word_t id, word_t ram, word_t caps)
{
	MSG(m, ROOT_UPGRADE);
	rpc_put(&m, id);
	rpc_put(&m, ram);
	rpc_put(&m, caps);
	return simple(root, &m);
}

rpc_status_t root_close(cptr_t root, word_t id)
{
	MSG(m, ROOT_CLOSE);
	rpc_put(&m, id);
	return simple(root, &m);
}

/* ---- PD ---- */

rpc_status_t pd_alloc_ram(cptr_t pd, word_t size, cptr_t *ds)
{
	MSG(m, PD_ALLOC_RAM);
	rpc_put(&m, size);
	rpc_status_t st = rpc_call_expect(pd, &m, 1, true);
	if (st == RPC_OK)
		*ds = m.cap;
	return st;
}

rpc_status_t pd_free_ram(cptr_t pd, cptr_t ds)
{
	return with_cap(pd, PD_FREE_RAM, ds);
}

rpc_status_t pd_attach(cptr_t pd, cptr_t ds, word_t addr, word_t size, word_t offset,
		       word_t flags, word_t *out_addr)
{
	MSG(m, PD_ATTACH);
	rpc_put(&m, addr);
	rpc_put(&m, size);
	rpc_put(&m, offset);
	rpc_put(&m, flags);
	m.cap = ds;
	rpc_status_t st = rpc_call_expect(pd, &m, 1, false);
	if (st == RPC_OK && out_addr)
		*out_addr = m.w[0];
	return st;
}

rpc_status_t pd_detach(cptr_t pd, word_t addr)
{
	MSG(m, PD_DETACH);
	rpc_put(&m, addr);
	return simple(pd, &m);
}

rpc_status_t pd_transfer(cptr_t pd, cptr_t to, word_t ram, word_t caps)
{
	MSG(m, PD_TRANSFER);
	rpc_put(&m, ram);
	rpc_put(&m, caps);
	m.cap = to;
	return simple(pd, &m);
}

rpc_status_t pd_quota(cptr_t pd, struct pd_quota *q)
{
	MSG(m, PD_QUOTA);
	rpc_status_t st = rpc_call_expect(pd, &m, 4, false);
	if (st == RPC_OK) {
		q->ram_quota = m.w[0];
		q->ram_used = m.w[1];
		q->cap_quota = m.w[2];
		q->cap_used = m.w[3];
	}
	return st;
}

rpc_status_t pd_install(cptr_t pd, word_t slot, cptr_t cap)
{
	MSG(m, PD_INSTALL);
	rpc_put(&m, slot);
	m.cap = cap;
	return simple(pd, &m);
}

static rpc_status_t alloc_obj(cptr_t pd, word_t op, word_t slot, word_t *handle)
{
	MSG(m, op);
	rpc_put(&m, slot);
	rpc_status_t st = rpc_call_expect(pd, &m, 1, false);
	if (st == RPC_OK && handle)
		*handle = m.w[0];
	return st;
}

rpc_status_t pd_alloc_ep(cptr_t pd, word_t slot, word_t *handle)
{
	return alloc_obj(pd, PD_ALLOC_EP, slot, handle);
}

rpc_status_t pd_alloc_ntfn(cptr_t pd, word_t slot, word_t *handle)
{
	return alloc_obj(pd, PD_ALLOC_NTFN, slot, handle);
}

rpc_status_t pd_free_obj(cptr_t pd, word_t handle)
{
	MSG(m, PD_FREE_OBJ);
	rpc_put(&m, handle);
	return simple(pd, &m);
}

rpc_status_t pd_fault_sigh(cptr_t pd, cptr_t ntfn)
{
	return with_cap(pd, PD_FAULT_SIGH, ntfn);
}

rpc_status_t pd_region(cptr_t pd, word_t addr, word_t *start, word_t *size, word_t *flags,
		       word_t *offset)
{
	MSG(m, PD_REGION);
	rpc_put(&m, addr);
	rpc_status_t st = rpc_call_expect(pd, &m, 4, false);
	if (st == RPC_OK) {
		if (start)
			*start = m.w[0];
		if (size)
			*size = m.w[1];
		if (flags)
			*flags = m.w[2];
		if (offset)
			*offset = m.w[3];
	}
	return st;
}

rpc_status_t pd_core_stats(cptr_t pd, struct core_stats *s)
{
	MSG(m, PD_CORE_STATS);
	rpc_status_t st = rpc_call_expect(pd, &m, 11, false);
	if (st == RPC_OK) {
		s->core_ram_kept = m.w[10];
		s->ram_total = m.w[6];
		s->core_image = m.w[7];
		s->core_ram_used = m.w[8];
		s->pd_ram_charged = m.w[9];
		s->ram_free = m.w[0];
		s->untyped_free = m.w[1];
		s->slots_free = m.w[2];
		s->leaves_free = m.w[3];
		s->objects_used = m.w[4];
		s->heap_used = m.w[5];
	}
	return st;
}

rpc_status_t ds_info(cptr_t ds, word_t *size, word_t *flags, word_t *phys)
{
	MSG(m, DS_INFO);
	rpc_status_t st = rpc_call_expect(ds, &m, 3, false);
	if (st == RPC_OK) {
		if (size)
			*size = m.w[0];
		if (flags)
			*flags = m.w[1];
		if (phys)
			*phys = m.w[2];
	}
	return st;
}

/* ---- CPU ---- */

rpc_status_t cpu_create_thread(cptr_t cpu, cptr_t pd, word_t prio, word_t cpu_index,
			       word_t ntfn_slot, cptr_t *thread, word_t *window, word_t *ipc)
{
	MSG(m, CPU_CREATE_THREAD);
	rpc_put(&m, prio);
	rpc_put(&m, cpu_index);
	rpc_put(&m, ntfn_slot);
	m.cap = pd;
	rpc_status_t st = rpc_call_expect(cpu, &m, 2, true);
	if (st == RPC_OK) {
		*thread = m.cap;
		if (window)
			*window = m.w[0];
		if (ipc)
			*ipc = m.w[1];
	}
	return st;
}

rpc_status_t cpu_info(cptr_t cpu, word_t *prio_limit, word_t *cpu_first, word_t *cpu_count,
		      word_t *cpus)
{
	MSG(m, CPU_INFO);
	rpc_status_t st = rpc_call_expect(cpu, &m, 4, false);
	if (st == RPC_OK) {
		if (prio_limit)
			*prio_limit = m.w[0];
		if (cpu_first)
			*cpu_first = m.w[1];
		if (cpu_count)
			*cpu_count = m.w[2];
		if (cpus)
			*cpus = m.w[3];
	}
	return st;
}

rpc_status_t thread_start_rpc(cptr_t thread, word_t rip, word_t rsp, word_t rdi, word_t rsi)
{
	MSG(m, THREAD_START);
	rpc_put(&m, rip);
	rpc_put(&m, rsp);
	rpc_put(&m, rdi);
	rpc_put(&m, rsi);
	return simple(thread, &m);
}

rpc_status_t thread_pause(cptr_t thread) { return no_args(thread, THREAD_PAUSE); }
rpc_status_t thread_resume(cptr_t thread) { return no_args(thread, THREAD_RESUME); }
rpc_status_t thread_destroy(cptr_t thread) { return no_args(thread, THREAD_DESTROY); }

rpc_status_t thread_state(cptr_t thread, struct thread_state_info *st_out)
{
	MSG(m, THREAD_STATE);
	rpc_status_t st = rpc_call_expect(thread, &m, 5, false);
	if (st == RPC_OK) {
		st_out->state = m.w[0];
		st_out->fault_label = m.w[1];
		st_out->fault_addr = m.w[2];
		st_out->fault_ip = m.w[3];
		st_out->faults = m.w[4];
	}
	return st;
}

rpc_status_t thread_set_priority(cptr_t thread, word_t prio)
{
	MSG(m, THREAD_SET_PRIORITY);
	rpc_put(&m, prio);
	return simple(thread, &m);
}

rpc_status_t thread_set_affinity(cptr_t thread, word_t cpu)
{
	MSG(m, THREAD_SET_AFFINITY);
	rpc_put(&m, cpu);
	return simple(thread, &m);
}

/* ---- ROM ---- */

rpc_status_t rom_dataspace(cptr_t rom, cptr_t *ds, word_t *size)
{
	MSG(m, ROM_DATASPACE);
	rpc_status_t st = rpc_call_expect(rom, &m, 1, true);
	if (st == RPC_OK) {
		*ds = m.cap;
		if (size)
			*size = m.w[0];
	}
	return st;
}

rpc_status_t rom_sigh(cptr_t rom, cptr_t ntfn)
{
	return with_cap(rom, ROM_SIGH, ntfn);
}

rpc_status_t rom_update(cptr_t rom, word_t *updated, word_t *size)
{
	MSG(m, ROM_UPDATE);
	rpc_status_t st = rpc_call_expect(rom, &m, 1, false);
	if (st == RPC_OK && m.w[0] && m.len < 2)
		st = RPC_E_TRUNCATED;   /* in place, but no size */
	if (st == RPC_OK && updated)
		*updated = m.w[0] != 0;
	if (st == RPC_OK && m.w[0] && size)
		*size = m.w[1];
	return st;
}

const char *label_last(const char *label)
{
	const char *last = label;

	for (const char *p = label; *p; p++)
		if (p[0] == ' ' && p[1] == '-' && p[2] == '>' && p[3] == ' ')
			last = p + 4;
	return last;
}

/* ---- LOG ---- */

rpc_status_t log_write(cptr_t log, const char *text, size_t len)
{
	MSG(m, LOG_WRITE);
	if (!rpc_put_strn(&m, text, len))
		return RPC_E_INVALID_ARGUMENT;
	return simple(log, &m);
}

/* ---- IO_MEM, IO_PORT, IRQ ---- */

rpc_status_t io_mem_dataspace(cptr_t s, cptr_t *ds, word_t *size, word_t *base)
{
	MSG(m, IO_MEM_DATASPACE);
	rpc_status_t st = rpc_call_expect(s, &m, 2, true);
	if (st == RPC_OK) {
		*ds = m.cap;
		if (size)
			*size = m.w[0];
		if (base)
			*base = m.w[1];
	}
	return st;
}

rpc_status_t io_port_cap(cptr_t s, cptr_t *cap)
{
	MSG(m, IO_PORT_CAP);
	rpc_status_t st = rpc_call_expect(s, &m, 0, true);
	if (st == RPC_OK)
		*cap = m.cap;
	return st;
}

rpc_status_t io_port_in(cptr_t s, word_t port, word_t width, word_t *value)
{
	MSG(m, IO_PORT_IN);
	rpc_put(&m, port);
	rpc_put(&m, width);
	rpc_status_t st = rpc_call_expect(s, &m, 1, false);
	if (st == RPC_OK)
		*value = m.w[0];
	return st;
}

rpc_status_t io_port_out(cptr_t s, word_t port, word_t width, word_t value)
{
	MSG(m, IO_PORT_OUT);
	rpc_put(&m, port);
	rpc_put(&m, width);
	rpc_put(&m, value);
	return simple(s, &m);
}

rpc_status_t irq_sigh(cptr_t s, cptr_t ntfn)
{
	return with_cap(s, IRQ_SIGH, ntfn);
}

rpc_status_t irq_ack(cptr_t s)
{
	return no_args(s, IRQ_ACK);
}

rpc_status_t irq_info(cptr_t s, word_t *type, word_t *number, word_t *msi_addr,
		      word_t *msi_data)
{
	MSG(m, IRQ_INFO);
	rpc_status_t st = rpc_call_expect(s, &m, 4, false);
	if (st == RPC_OK) {
		if (type)
			*type = m.w[0];
		if (number)
			*number = m.w[1];
		if (msi_addr)
			*msi_addr = m.w[2];
		if (msi_data)
			*msi_data = m.w[3];
	}
	return st;
}
