/*
 * rom_filter's engine: derive a new document (typically a config) from a
 * template and the current content of input ROMs (typically reports).
 *
 *   <config>
 *     <input name="layout" rom="keyboard_report" node="keyboard">
 *       <node type="settings"> <attribute name="layout"/> </node>
 *     </input>
 *     <output node="config">
 *       <attribute name="verbose" value="no"/>
 *       <if> <has_value input="layout" value="de"/>
 *         <then> <inline> <map file="de.map"/> </inline> </then>
 *         <else> <node type="map"> <attribute name="file" input="layout"/> </node> </else>
 *       </if>
 *     </output>
 *   </config>
 *
 * <input>: a value read from ROM 'rom': its top node must be of type
 *   'node'; each nested <node type= [name=]> descends into the first
 *   sub-node of that type (and, with name=, whose name attribute matches);
 *   the innermost <attribute name=> names the attribute whose value is the
 *   input's value. Without <attribute>, the input has no value but exists
 *   when the path exists. An absent ROM or path leaves the input undefined.
 * <output node=T>: the output document's top node, of type T. Inside it
 *   (and inside <node>, <then>, <else>):
 *   <attribute name= value=/> or <attribute name= input=/>: an attribute
 *     of the enclosing output node (an undefined input omits it);
 *   <node type=>: a new sub-node with the content inside;
 *   <inline>: its sub-nodes copied verbatim;
 *   <if> conditions <then>..</then> <else>..</else> </if>: every condition
 *     must hold for <then>, else <else> (both optional); conditions are
 *     <has_value input= value=/> and <has_input input=/>.
 * Attributes take effect wherever they appear among the node's content,
 * sub-nodes in document order.
 */
#ifndef OS_ROM_FILTER_FILTER_H
#define OS_ROM_FILTER_FILTER_H

#include <argil/config.h>

/* The current content of the ROM named 'name', or NULL if it has none
 * (absent, empty or malformed). */
typedef const struct cfg_node *(*rf_rom_fn)(void *ctx, const char *name);

/* Check the template (the <config> node) once: unknown nodes, missing or
 * bad attributes, inputs named twice or used but not declared. Returns
 * true, or false with *err naming the first problem's line and column. */
bool rf_check(const struct cfg_node *config, struct cfg_error *err);

/* Evaluate a checked template against the ROMs into w. Returns false if
 * the output did not fit or was invalid (cfg_writer_ok). */
bool rf_eval(const struct cfg_node *config, rf_rom_fn rom, void *ctx, struct cfg_writer *w);

/* The names of the ROMs a checked template reads, one call per <input>
 * (the same ROM may be named several times). */
void rf_for_each_rom(const struct cfg_node *config, void (*fn)(void *ctx, const char *rom), void *ctx);

#endif
