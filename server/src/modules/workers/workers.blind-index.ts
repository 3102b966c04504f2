/**
 * The namespaces of the workers' blind indexes (see `DataCipher.blindIndex`): the same value in two
 * namespaces gives unrelated tokens. A module of its own so that the import's reading thread,
 * which computes them, need not load the workers service.
 */
export const ID_NUMBER_PURPOSE = 'id_number';
export const PHONE_PURPOSE = 'phone';
