/*
 * ROM sessions (boot modules by name) and LOG sessions (labelled lines).
 */
#include "test.h"

#define KB 1024ul

TEST(ROM_0001, "a ROM session gives the boot module's bytes, read-only")
{
	word_t id, size, dsize, flags, a;
	cptr_t rom = session("ROM", "core_test_helper", "", ROM_SESSION_RAM, ROM_SESSION_CAPS, &id), ds;

	CHECK_OK(rom_dataspace(rom, &ds, &size));
	CHECK(size > 4096);
	CHECK_OK(ds_info(ds, &dsize, &flags, 0));
	CHECK_EQ(dsize, (size + 4095) & ~4095ul);
	CHECK(flags & DS_ROM);
	CHECK(!(flags & DS_WRITABLE));
	CHECK_ST(pd_attach(tenv->pd, ds, 0, 0, 0, ATTACH_WRITE, &a), RPC_E_DENIED);
	CHECK_OK(pd_attach(tenv->pd, ds, 0, 0, 0, 0, &a));
	CHECK_EQ(memcmp((void *)a, "\177ELF", 4), 0);
	CHECK_OK(pd_detach(tenv->pd, a));
	cap_slot_free(ds);
	close_session(id, rom);
}

TEST(ROM_0002, "the ROM name is the label's last element; unknown names are NOT_FOUND")
{
	cptr_t rom;
	word_t id, size;

	CHECK_OK(try_session("ROM", "a -> b -> core_test_helper", "", ROM_SESSION_RAM, ROM_SESSION_CAPS,
			     0, &rom, &id));
	cptr_t ds;
	CHECK_OK(rom_dataspace(rom, &ds, &size));
	cap_slot_free(ds);
	close_session(id, rom);
	CHECK_ST(try_session("ROM", "nonexistent", "", ROM_SESSION_RAM, ROM_SESSION_CAPS, 0, &rom, &id),
		 RPC_E_NOT_FOUND);
	CHECK_ST(try_session("ROM", "core_test_helper -> x", "", ROM_SESSION_RAM, ROM_SESSION_CAPS, 0,
			     &rom, &id), RPC_E_NOT_FOUND);
	CHECK_ST(try_session("ROM", "x -> ", "", ROM_SESSION_RAM, ROM_SESSION_CAPS, 0, &rom, &id),
		 RPC_E_NOT_FOUND);
}

TEST(ROM_0003, "ROM_SIGH takes a notification (or none), ROM_UPDATE says nothing changed")
{
	word_t id, upd = 7;
	cptr_t rom = session("ROM", "init", "", ROM_SESSION_RAM, ROM_SESSION_CAPS, &id);

	CHECK_OK(rom_sigh(rom, test_ntfn));
	CHECK_ST(rom_sigh(rom, tenv->pd), RPC_E_INVALID_CAP);
	CHECK_ST(rom_sigh(rom, COMPONENT_MAIN_EP), RPC_E_INVALID_CAP);
	CHECK_OK(rom_sigh(rom, 0));
	CHECK_OK(rom_update(rom, &upd, 0));
	CHECK_EQ(upd, 0);
	close_session(id, rom);
}

TEST(ROM_0004, "a ROM session with too little quota fails; closing kills its dataspace")
{
	cptr_t rom, ds;
	word_t id, a, size;

	CHECK_ST(try_session("ROM", "init", "", 512, 4, 0, &rom, &id), RPC_E_NO_RAM_QUOTA);
	CHECK_ST(try_session("ROM", "init", "", ROM_SESSION_RAM, 1, 0, &rom, &id), RPC_E_NO_CAP_QUOTA);
	rom = session("ROM", "init", "", ROM_SESSION_RAM, ROM_SESSION_CAPS, &id);
	CHECK_OK(rom_dataspace(rom, &ds, &size));
	CHECK_OK(pd_attach(tenv->pd, ds, 0, 0, 0, 0, &a));
	CHECK_EQ(*(volatile char *)(a + 1), 'E');
	close_session(id, rom);
	CHECK_ST(pd_region(tenv->pd, a, 0, 0, 0, 0), RPC_E_NOT_FOUND);
	CHECK_ST(ds_info(ds, 0, 0, 0), RPC_E_INVALID_CAP);
	cap_slot_free(ds);
}

TEST(LOG_0001, "LOG lines carry the session's label (see 'expect' in run/core_test)")
{
	word_t id;
	cptr_t lg = session("LOG", "labelled", "", LOG_SESSION_RAM, LOG_SESSION_CAPS, &id);

	CHECK_OK(log_write(lg, "hello from a LOG session", 24));
	CHECK_OK(log_write(lg, "two\nlines", 9));
	CHECK_OK(log_write(lg, "", 0));
	close_session(id, lg);
	log("printf of a component goes to its own LOG session");
}

TEST(LOG_0002, "LOG_WRITE of more than LOG_WRITE_MAX bytes or malformed is INVALID_ARGUMENT")
{
	word_t id;
	cptr_t log = session("LOG", "long", "", LOG_SESSION_RAM, LOG_SESSION_CAPS, &id);
	struct rpc_msg m;

	rpc_init(&m, LOG_WRITE);
	rpc_put(&m, LOG_WRITE_MAX + 1);
	for (int i = 0; i < 70; i++)
		rpc_put(&m, 0x4141414141414141ull);
	CHECK_ST(rpc_call(log, &m), RPC_E_INVALID_ARGUMENT);
	rpc_init(&m, LOG_WRITE);
	CHECK_ST(rpc_call(log, &m), RPC_E_INVALID_ARGUMENT);
	rpc_init(&m, 2);
	CHECK_ST(rpc_call(log, &m), RPC_E_ILLEGAL_OPERATION);
	close_session(id, log);
	CHECK_ST(log_write(log, "x", 1), RPC_E_INVALID_CAP);
	cap_slot_free(log);
}

TEST(ROM_0005, "attached ROMs: open, read, update (nothing changes at core), close")
{
	struct attached_rom r;

	CHECK_OK(attached_rom_open(&r, "textfile"));
	CHECK(r.size > 100);
	CHECK(r.data != 0);
	CHECK_EQ(memcmp(r.data, "# core's test suite", 19), 0);
	const char *before = r.data;
	CHECK_OK(attached_rom_update(&r));
	CHECK(r.data != 0);
	CHECK_EQ(memcmp(r.data, "# core's test suite", 19), 0);
	(void)before;
	attached_rom_close(&r);
	CHECK_ST(attached_rom_open(&r, "no-such-rom"), RPC_E_NOT_FOUND);
}
