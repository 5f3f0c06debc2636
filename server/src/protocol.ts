// The custom requests and notifications between the language server and the VS Code client.
export const MATRIX_REQUEST = 'portParity/matrix';
export const MATRIX_CHANGED = 'portParity/matrixChanged';
export const ALIGN_COMMAND = 'portParity.alignService';

export interface MatrixLocation {
  uri: string;
  line: number;
  character: number;
}

export interface MatrixCellDto {
  environment: string;
  ports: number[];
  status: 'reference' | 'agree' | 'differs' | 'missing';
  locations: MatrixLocation[];
}

export interface MatrixRowDto {
  service: string;
  reference?: { environment?: string; ports: number[]; contract: boolean };
  cells: MatrixCellDto[];
  drift: boolean;
  /** The root folder the service belongs to. */
  folder: string;
}

export interface MatrixDto {
  environments: string[];
  rows: MatrixRowDto[];
  findings: { errors: number; warnings: number; infos: number };
}
