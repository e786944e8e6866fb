// The API report of each typed entry, by API Extractor, from the built declarations (dist/*.d.ts,
// the types package's generated index.d.ts). All entries share one TypeScript program: the
// compiler's start-up is paid once, not once per entry.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompilerState, Extractor, ExtractorConfig } from '@microsoft/api-extractor';

// No DOM lib: @types/node declares the fetch globals the declarations use, and a DOM global of the
// same name as an export (the Web Audio DelayOptions) would have API Extractor rename the export.
const COMPILER_OPTIONS = {
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  lib: ['ES2023'],
  types: ['node'],
  strict: true,
  skipLibCheck: true,
};

// What the reports show besides the declarations: the types a user meets but cannot import
// (ae-forgotten-export) are marked in the report; release tags and TSDoc style are not this
// repository's conventions, so they are not reported.
const MESSAGES = {
  compilerMessageReporting: { default: { logLevel: 'warning' } },
  extractorMessageReporting: {
    default: { logLevel: 'none' },
    'ae-forgotten-export': { logLevel: 'none', addToApiReportFile: true },
    'ae-undocumented': { logLevel: 'none', addToApiReportFile: false },
  },
  tsdocMessageReporting: { default: { logLevel: 'none' } },
};

function configOf(root, pkg, entry, tempFolder) {
  const projectFolder = join(root, pkg.dir);
  return ExtractorConfig.prepare({
    configObject: {
      projectFolder,
      mainEntryPointFilePath: join(root, entry.declarations),
      compiler: { overrideTsconfig: { compilerOptions: COMPILER_OPTIONS } },
      apiReport: {
        enabled: true,
        // One folder for both: API Extractor's own comparison is replaced by ours (api-report.mjs).
        reportFolder: tempFolder,
        reportTempFolder: tempFolder,
        reportFileName: entry.report
          .split('/')
          .pop()
          .replace(/\.api\.md$/, ''),
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: MESSAGES,
      newlineKind: 'lf',
    },
    configObjectFullPath: join(projectFolder, 'api-extractor.json'),
    packageJsonFullPath: join(projectFolder, 'package.json'),
  });
}

/**
 * @param {{ root: string, tempFolder: string, entries: { pkg: import('./api-entries.mjs').PublishedPackage, entry: import('./api-entries.mjs').TypedEntry }[] }} options
 * @returns {{ reports: Map<string, string>, problems: string[] }} report path (repository-relative) → its text
 */
export function extractReports({ root, tempFolder, entries }) {
  const reports = new Map();
  const problems = [];
  if (entries.length === 0) return { reports, problems };
  const configs = entries.map(({ pkg, entry }) => ({ entry, config: configOf(root, pkg, entry, tempFolder) }));
  const compilerState = CompilerState.create(configs[0].config, {
    additionalEntryPoints: configs.slice(1).map(({ config }) => config.mainEntryPointFilePath),
  });
  for (const { entry, config } of configs) {
    const result = Extractor.invoke(config, {
      localBuild: false,
      compilerState,
      messageCallback: (message) => {
        if (message.logLevel === 'error' || message.logLevel === 'warning')
          problems.push(`${entry.declarations}: ${message.messageId}: ${message.text}`);
        message.handled = true;
      },
    });
    if (result.errorCount > 0)
      problems.push(`${entry.declarations}: API Extractor failed (${result.errorCount} errors)`);
    reports.set(entry.report, readFileSync(join(tempFolder, config.reportConfigs[0].fileName), 'utf8'));
  }
  return { reports, problems };
}
