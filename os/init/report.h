/*
 * init's state report: what runs, with which quota and sessions, and
 * which config errors were found. Written with a cfg_writer, so the report
 * is in the config format and can be routed as a ROM (report_rom).
 *
 *   <state version="3">
 *     <init ram_quota=".." ram_used=".." ram_avail=".." caps_quota=".." caps_used=".." caps_avail=".."/>
 *     <child name="timer" binary="timer" state="running">
 *       <ram assigned="1048576" used="65536" avail="983040"/>
 *       <caps assigned="100" used="12" avail="88"/>
 *       <requested>
 *         <session service="LOG" label="timer -> " server="parent" state="available"/>
 *       </requested>
 *       <provided>
 *         <session service="Timer" label="app -> " client="app" state="available" ram="8192" caps="4"/>
 *       </provided>
 *     </child>
 *     <error line="12" col="3" child="app" msg="..." outcome="..."/>
 *   </state>
 *
 * version: of the config processed last (also when it was rejected), so a
 * config writer can tell its change was seen. Which parts appear follows
 * the model's <report> node (init_ram / init_caps, child_ram / child_caps,
 * requested, provided, errors). Child attributes beyond name, binary and
 * state: exit (exited), reason (faulted, failed), skipped_heartbeats (when
 * not 0), restarts (when not 0). Children appear in the runtime's order,
 * sessions in the runtime's order.
 */
#ifndef INIT_REPORT_H
#define INIT_REPORT_H

#include <argil/config.h>

#include "model.h"
#include "state.h"

/* Writes the report into w (which the caller initialised); returns
 * cfg_writer_ok(w): false means the buffer was too small. */
bool init_report(struct cfg_writer *w, const struct init_model *m, const struct init_runtime *rt);

#endif
