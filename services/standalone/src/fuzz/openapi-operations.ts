/** The part of an OpenAPI 3 schema object the fuzz generators read. */
export interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  example?: unknown;
  $ref?: string;
}

export interface Parameter {
  name: string;
  required: boolean;
  schema: Schema;
}

/** One operation of the OpenAPI document, its `$ref`s resolved. */
export interface Operation {
  /** `POST /api/v1/offers/{id}/send` */
  id: string;
  method: string;
  path: string;
  pathParams: string[];
  query: Parameter[];
  /** The JSON body's schema; null when the document declares none. */
  body: Schema | null;
  isCommand: boolean;
}

type Document = {
  paths: Record<string, Record<string, any>>;
  components?: { schemas?: Record<string, Schema> };
};

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function resolver(doc: Document) {
  const resolve = (schema: Schema | undefined, depth = 0): Schema => {
    if (!schema) return {};
    if (depth > 16) throw new Error('schema nests too deep (a cycle?)');
    if (schema.$ref) {
      const name = schema.$ref.replace('#/components/schemas/', '');
      const target = doc.components?.schemas?.[name];
      if (!target) throw new Error(`unresolved ${schema.$ref}`);
      return resolve(target, depth + 1);
    }
    const out: Schema = { ...schema };
    if (schema.properties)
      out.properties = Object.fromEntries(
        Object.entries(schema.properties).map(([k, v]) => [k, resolve(v, depth + 1)]),
      );
    if (schema.items) out.items = resolve(schema.items, depth + 1);
    if (!out.type && out.properties) out.type = 'object';
    return out;
  };
  return resolve;
}

/** Every operation of the document, in document order. */
export function operationsOf(doc: Document): Operation[] {
  const resolve = resolver(doc);
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m): Operation => {
      const op = item[m];
      const params: any[] = op.parameters ?? [];
      const body = op.requestBody?.content?.['application/json']?.schema;
      return {
        id: `${m.toUpperCase()} ${path}`,
        method: m.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: params
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, required: !!p.required, schema: resolve(p.schema) })),
        body: body ? resolve(body) : null,
        isCommand: m !== 'get',
      };
    }),
  );
}
