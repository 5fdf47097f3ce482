/**
 * The contrastive losses by name, as configs refer to them.
 */
export const LOSS_NAMES = ['point-info-nce', 'hardest-contrastive', 'shape-context'] as const;
export type LossName = (typeof LOSS_NAMES)[number];
