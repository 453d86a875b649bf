// What the app found in the project folder, and what Up will do about what is missing.
import type { ProjectInfo } from '../../preload/api';
import '../styles/projectView.css';
import { Icon } from './Icon';

export function ProjectFilesCard({ project }: { project: ProjectInfo }) {
  const rows = [
    { file: 'Dockerfile', found: project.hasDockerfile, missing: 'Generated on first Up' },
    { file: 'chart/', found: project.hasChart, missing: 'Generated on first Up' },
    { file: '.devspace/config.yaml', found: project.hasDevspaceConfig, missing: 'Created on first Up' },
  ];
  return (
    <section className="card" aria-labelledby="project-files-title">
      <header className="card-header">
        <h2 id="project-files-title">Project files</h2>
      </header>
      <ul className="file-rows">
        {rows.map((row) => (
          <li key={row.file} className="file-row">
            <code>{row.file}</code>
            {row.found ? (
              <span className="file-state found">
                <Icon name="check" size={14} />
                Found
              </span>
            ) : (
              <span className="file-state missing">{row.missing}</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
