// The runtime form of a service-model shape, as generated into kms-model.ts.

export interface Shape {
  readonly t: 'structure' | 'string' | 'blob' | 'integer' | 'long' | 'boolean' | 'timestamp' | 'list' | 'map';
  readonly required?: readonly string[];
  readonly members?: Readonly<Record<string, string>>;
  readonly member?: string;
  readonly key?: string;
  readonly value?: string;
  readonly min?: number;
  readonly max?: number;
  readonly enum?: readonly string[];
  readonly pattern?: string;
  readonly sensitive?: boolean;
}
