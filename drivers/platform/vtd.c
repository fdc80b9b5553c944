#include "platform.h"
bool iommu_present(void) { return false; }
void iommu_init(struct entrypoint *ep, uint64_t base) { (void)ep; (void)base; }
rpc_status_t iommu_domain_create(struct session *s) { s->dom = 0; return RPC_OK; }
void iommu_domain_destroy(struct session *s) { (void)s; }
rpc_status_t iommu_map(struct session *s, uint64_t iova, uint64_t phys, word_t size) { (void)s; (void)iova; (void)phys; (void)size; return RPC_E_UNAVAILABLE; }
void iommu_unmap(struct session *s, uint64_t iova, word_t size) { (void)s; (void)iova; (void)size; }
void iommu_attach(struct session *s, struct pdev *d) { (void)s; (void)d; }
void iommu_detach(struct pdev *d) { (void)d; }
void iommu_reserved(uint64_t base, uint64_t size, unsigned bdf) { (void)base; (void)size; (void)bdf; }
void iommu_report(struct cfg_writer *w) { (void)w; }
word_t iommu_domain_cost(void) { return 0; }
