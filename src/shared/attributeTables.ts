// What names an attribute table's file column, known to the engine (which joins by it) and to the
// extension (which offers a table only when it has one).

/** Names a file-name column goes by, compared without case. */
export const ATTRIBUTE_KEY_COLUMNS = ['filename', 'file', 'image', 'image_id'] as const;
